package org.mandosjava.server;

import java.time.Duration;

/**
 * Bounds on what one connection may cost. The original has none (spec §15.3 item 6): a peer that
 * stalls holds a process forever.
 *
 * <p>The durations are absolute deadlines counted from the accept, on the monotonic clock: a peer
 * that trickles a byte now and then gains nothing.
 *
 * @param versionLine time to send the version line after connecting; real clients send it at once
 * @param handshake time from the accept to a finished TLS handshake (the client's key known)
 * @param connection time for the whole connection, not counting an approval wait
 * @param bye time to wait for the peer's close_notify after ours
 * @param maxConnections connections held at once; beyond it a new one evicts the oldest
 *     unauthenticated one of the address that has most, or is closed if every one is authenticated
 * @param maxUnauthenticatedPerAddress connections from one address whose key is not yet known;
 *     beyond it that address's new connections are closed at once
 * @param maxPerKey authenticated connections (in practice: waiting for approval) of one key; at
 *     the limit, one that is only waiting for the peer's goodbye gives way to a new one
 */
public record ConnectionLimits(
        Duration versionLine, Duration handshake, Duration connection, Duration bye, int maxConnections,
        int maxUnauthenticatedPerAddress, int maxPerKey) {

    /**
     * A waiting connection costs about 10 KiB of heap, 15 KiB resident and one file descriptor
     * (measured, see the README): 4,096 cost about 60 MiB, beside the heap's client state.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** A real client is unauthenticated for milliseconds; 128 of them at once from one address is a flood. */
    public static final int DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS = 128;
    /** One client asks once per server address it found; more than this waiting at once is not a client. */
    public static final int DEFAULT_MAX_PER_KEY = 8;

    public ConnectionLimits {
        if (maxConnections < 1 || maxUnauthenticatedPerAddress < 1 || maxPerKey < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
    }

    public ConnectionLimits(Duration versionLine, Duration handshake, Duration connection, Duration bye,
            int maxConnections) {
        this(versionLine, handshake, connection, bye, maxConnections,
                Math.min(maxConnections, DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS), DEFAULT_MAX_PER_KEY);
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(60),
                Duration.ofSeconds(5), DEFAULT_MAX_CONNECTIONS);
    }

    public ConnectionLimits withMaxUnauthenticatedPerAddress(int n) {
        return new ConnectionLimits(versionLine, handshake, connection, bye, maxConnections, n, maxPerKey);
    }
}
