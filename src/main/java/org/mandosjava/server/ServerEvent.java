package org.mandosjava.server;

import java.time.Duration;
import java.util.Set;

/**
 * What happened in the server, for listeners (log, D-Bus, state store) to react to. Events flow one
 * way: listeners observe, they never call back into the code that emitted the event. Events are
 * delivered in the order they happened, after the change they report is complete.
 */
public sealed interface ServerEvent {
    /** A client's secret was written to it (D-Bus GotSecret). */
    record SecretSent(String clientName, String address) implements ServerEvent {}

    /**
     * A client's secret is about to be sent to {@code address}, proven by {@code keyId}. Delivered on
     * the connection's thread before the secret is written; if a listener fails on it, the secret is
     * not sent (an audit record that cannot be written stops the release).
     */
    record SecretReleasing(String clientName, String keyId, String address) implements ServerEvent {}

    /** A peer waiting for approval left before a decision (no D-Bus signal, as in the original). */
    record PeerLeft(String clientName, String address) implements ServerEvent {}

    /** An operator approved (true) or denied (false) a client's requests. */
    record ApprovalDecided(String clientName, boolean approved) implements ServerEvent {}

    /**
     * A client was enabled or disabled; {@code reason} says why it was disabled (operator, checker
     * timeout, key expiry), null when enabled.
     */
    record EnabledChanged(String clientName, boolean enabled, String reason) implements ServerEvent {}

    /** A peer proved possession of a key no client has; {@code address} as {@link PeerAddress} formats it. */
    record ClientNotFound(String keyId, String address) implements ServerEvent {}

    /** A known client was refused; {@code reason} is the original's: "Disabled", "Denied", "Approval timed out". */
    record Rejected(String clientName, String address, String reason) implements ServerEvent {}

    /** A client is waiting for an approval decision. */
    record NeedApproval(String clientName, Duration timeout, boolean approvedByDefault) implements ServerEvent {}

    record CheckerStarted(String clientName, String command) implements ServerEvent {}

    /**
     * A checker ended. {@code exitCode} is -1 and {@code waitStatus} the original's
     * {@code (-1 << 8) | signal} when killed by a signal (spec §4, kept for mandos-monitor).
     */
    record CheckerCompleted(String clientName, int exitCode, long waitStatus, String command) implements ServerEvent {}

    /** Properties (by their D-Bus names, e.g. "Enabled", "Expires") of a client changed value. */
    record PropertiesChanged(String clientName, Set<String> properties) implements ServerEvent {}

    record ClientAdded(String clientName) implements ServerEvent {}

    record ClientRemoved(String clientName) implements ServerEvent {}
}
