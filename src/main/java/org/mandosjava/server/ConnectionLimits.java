package org.mandosjava.server;

import java.time.Duration;

/**
 * Bounds on what one connection may cost. The original has none (spec §15.3 item 6): a peer that
 * stalls holds a process forever.
 *
 * @param versionLine time to send the version line after connecting; real clients send it at once
 * @param handshake time for the whole TLS handshake, from the version line on
 * @param connection time for the whole connection, not counting an approval wait
 * @param bye time to wait for the peer's close_notify after ours
 * @param maxConnections connections served at once; more wait in the kernel's accept queue
 */
public record ConnectionLimits(
        Duration versionLine, Duration handshake, Duration connection, Duration bye, int maxConnections) {

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(60),
                Duration.ofSeconds(5), 4096);
    }
}
