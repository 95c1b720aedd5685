package org.mandosjava.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How this server takes part in a cluster.
 *
 * @param serverId this server's name among the others (its member and presence entries)
 * @param confirmTimeout how long a caller's change waits for the other servers to confirm it
 * @param strictAfter with the store out of reach this long, no secret is released; null: fail-static
 *     for as long as it lasts
 * @param heartbeat how often the presence entry is written; its echo through the watch proves the
 *     watch current
 * @param freshFor how recent that proof must be for a release without reading the client's record
 * @param checkerFlush how often checker successes are written to the store, in batches
 * @param serveColdCache whether a server that started without reaching the store serves enabled
 *     clients from its state file anyway (the state file may predate a disable it never saw: off by
 *     default, for the day every server and the store start cold together)
 */
public record ClusterOptions(String serverId, Duration confirmTimeout, Duration strictAfter, Duration heartbeat,
        Duration freshFor, Duration checkerFlush, boolean serveColdCache) {
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMillis(300);
    public static final Duration DEFAULT_FRESH_FOR = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CHECKER_FLUSH = Duration.ofSeconds(1);

    public ClusterOptions {
        Objects.requireNonNull(serverId, "serverId");
        if (serverId.isEmpty() || serverId.contains("/")) throw new IllegalArgumentException("bad server id: " + serverId);
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    }

    public static ClusterOptions of(String serverId, Duration confirmTimeout, Duration strictAfter) {
        return new ClusterOptions(serverId, confirmTimeout, strictAfter, DEFAULT_HEARTBEAT, DEFAULT_FRESH_FOR,
                DEFAULT_CHECKER_FLUSH, false);
    }

    public ClusterOptions withServeColdCache(boolean on) {
        return new ClusterOptions(serverId, confirmTimeout, strictAfter, heartbeat, freshFor, checkerFlush, on);
    }
}
