package org.mandosjava.cluster.etcd;

import java.time.Duration;

/**
 * What to watch and how.
 *
 * @param key the key, or the start of the range
 * @param rangeEnd the end of the range (exclusive), or null for just {@code key}; see
 *     {@link EtcdClient#prefixEnd}
 * @param startRevision the first revision to deliver (0: from now); typically a read's revision + 1
 * @param prevKv whether events carry the key's previous state
 * @param progressNotify whether to ask etcd for periodic progress notifications (etcd's interval,
 *     {@code --experimental-watch-progress-notify-interval}, default 10 minutes)
 * @param deadAfter the liveness bound: when nothing has arrived on the stream for half of it, the
 *     watch probes the stream's endpoint (a linearizable read, bounded by half of it); a failed probe
 *     ends the stream as dead, so a silent stream is noticed within about 1.5 × deadAfter
 */
public record WatchOptions(byte[] key, byte[] rangeEnd, long startRevision, boolean prevKv, boolean progressNotify,
        Duration deadAfter) {
    public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(4);

    public WatchOptions {
        if (deadAfter.toMillis() < 2) throw new IllegalArgumentException("deadAfter too short: " + deadAfter);
        if (startRevision < 0) throw new IllegalArgumentException("negative start revision");
    }

    /** Every key under {@code prefix}, from {@code startRevision}, with previous values. */
    public static WatchOptions prefix(byte[] prefix, long startRevision) {
        return new WatchOptions(prefix, EtcdClient.prefixEnd(prefix), startRevision, true, true, DEFAULT_DEAD_AFTER);
    }

    public WatchOptions withDeadAfter(Duration d) {
        return new WatchOptions(key, rangeEnd, startRevision, prevKv, progressNotify, d);
    }
}
