package org.mandosjava.server;

/**
 * What happened in the server, for listeners (log, D-Bus, state store) to react to. Events flow one
 * way: listeners observe, they never call back into the code that emitted the event.
 */
public sealed interface ServerEvent {
    /** A client's secret was written to it. */
    record SecretSent(String clientName, String address) implements ServerEvent {}

    /** A peer proved possession of a key no client has; {@code address} as {@link PeerAddress} formats it. */
    record ClientNotFound(String keyId, String address) implements ServerEvent {}

    /** A known client was refused; {@code reason} is one of the original's: "Disabled", "Denied"... */
    record Rejected(String clientName, String address, String reason) implements ServerEvent {}
}
