package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a caller's change to a client goes when several servers share client state: it is
 * committed to the shared store first, applied here from the store (with {@link Origin#CLUSTER},
 * which does not come back through this interface), and confirmed by the other servers. Without a
 * cluster there is none, and the registry applies changes itself.
 */
public interface SharedChanges {
    /** A change a caller asks for. */
    sealed interface Change {}

    record Enable() implements Change {}

    record Disable() implements Change {}

    record Remove() implements Change {}

    /** A client added at runtime (D-Bus AddClient): every server adds it. */
    record Add(org.mandosjava.config.ClientConfig config) implements Change {}

    /** @param secret the new secret (OpenPGP ciphertext, sent verbatim) */
    record Secret(byte[] secret) implements Change {}

    record Approve(boolean approved) implements Change {}

    /**
     * One of the other settable properties, by its D-Bus name, as text: durations in milliseconds,
     * booleans as {@code true}/{@code false}, dates as ISO-8601 instants.
     */
    record Setting(String property, String value) implements Change {
        public static Setting of(String property, Duration value) {
            return new Setting(property, Long.toString(value.toMillis()));
        }

        public static Setting of(String property, Instant value) {
            return new Setting(property, value.toString());
        }
    }

    /**
     * Commits {@code change} of client {@code name} to the shared store, has it applied here, and
     * waits for the other servers to confirm it.
     *
     * @throws SharedChangeException when it is refused (nothing changed) or committed but not
     *     confirmed everywhere (the message names the servers)
     */
    void publish(String name, Change change);

    /**
     * Called before deciding whether client {@code name} gets its secret, without the registry's
     * lock: brings the client up to date with the store when this server's view may be stale.
     *
     * @return false if this server must not release any secret now (strict mode without the store)
     */
    boolean beforeRelease(String name);
}
