package org.mandosjava.server;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The registry as its helpers ({@link Approvals}, {@link ClientTimers}, {@link CheckerSupervisor},
 * {@link KeyExpiryPolicy}) see it, through {@link HelperView}. Every method except {@link #withClient}
 * and {@link #locked} is called with the registry's lock held; those two take it, for timer tasks and
 * process callbacks that arrive without it. The lock discipline itself is described once, on
 * {@link ClientLock}.
 */
interface LockedRegistry {
    /** Takes the lock, runs {@code action} on the named client, releases and publishes; false if none. */
    boolean withClient(String name, Consumer<Client> action);

    /** Takes the lock, runs {@code action}, releases and publishes. */
    void locked(Runnable action);

    /**
     * Releases the lock (publishing what is queued), asks {@code question} without it, and takes the
     * lock again, also if the question throws: for a wait that lets others in.
     */
    boolean whileUnlocked(BooleanSupplier question);

    /** Records that properties of {@code c} changed: an event for listeners, and a state save. */
    void changed(Client c, String... properties);

    /** Asks for a state save when the lock is released: at once if {@code durable}, else soon. */
    void saveNeeded(boolean durable);

    void queue(ServerEvent event);

    /** Runs {@code action} once the lock is released (process starts and kills). */
    void afterUnlock(Runnable action);

    /**
     * Whether the registry has closed (the server is stopping): then no timer is armed and no checker
     * started. A timer task that was already running when the registry closed finds true and arms nothing.
     */
    boolean closed();

    /** The registry's decision to disable {@code c}. */
    void disable(Client c, String reason);

    /** A checker of {@code c} is due. */
    void checkerDue(Client c);

    /** A checker of {@code c} succeeded (or a bump counts as one). */
    void checkedOk(Client c);
}
