package org.mandosjava.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether this server's view of the store is known to be current, and whether the store answers.
 * The proof of a current view is this server's own heartbeat seen back through its watch: then
 * every change written before that heartbeat was sent has been applied. Times are monotonic.
 */
final class Freshness {
    private final TreeMap<Long, Long> sentAtByRevision = new TreeMap<>();
    private long freshAt = Long.MIN_VALUE;
    private boolean everFresh;
    private boolean everReached;
    /** When the store last failed to answer, or 0 while it answers. */
    private long unreachableSince;
    private String lastProblem;

    synchronized void heartbeatSent(long revision, long sentAt) {
        sentAtByRevision.put(revision, sentAt);
        while (sentAtByRevision.size() > 64) sentAtByRevision.pollFirstEntry();
    }

    /** The watch has delivered everything up to {@code revision}. */
    synchronized void seenThrough(long revision) {
        Map.Entry<Long, Long> e = sentAtByRevision.floorEntry(revision);
        if (e == null) return;
        if (!everFresh || e.getValue() - freshAt > 0) freshAt = e.getValue();
        everFresh = true;
        sentAtByRevision.headMap(revision, true).clear();
    }

    synchronized boolean freshWithin(Duration bound, long now) {
        return everFresh && now - freshAt <= bound.toNanos();
    }

    /** Nanoseconds since the view was last proven current, or -1 if never. */
    synchronized long staleFor(long now) {
        return everFresh ? now - freshAt : -1;
    }

    /** Whether the store has answered since this server started. */
    synchronized boolean everReached() {
        return everReached;
    }

    synchronized void reached() {
        everReached = true;
        unreachableSince = 0;
        lastProblem = null;
    }

    synchronized void failed(long now, String problem) {
        if (unreachableSince == 0) unreachableSince = now;
        lastProblem = problem;
    }

    synchronized boolean reachable() {
        return unreachableSince == 0;
    }

    /** Nanoseconds the store has been out of reach, 0 while it answers. */
    synchronized long unreachableFor(long now) {
        return unreachableSince == 0 ? 0 : Math.max(1, now - unreachableSince);
    }

    synchronized String lastProblem() {
        return lastProblem;
    }
}
