package org.mandosjava.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Aggregates unknown-key events per (key_id, source address): the first is recorded at once, the
 * rest within {@link #window} are counted and reported with the next record for that pair (or at
 * {@link #drain}), so a peer retrying every few seconds, or a flood, does not flood the trail.
 * Holds at most {@link #MAX_TRACKED} pairs; the oldest is reported early to make room.
 */
final class UnknownKeyThrottle {
    static final int MAX_TRACKED = 10_000;

    /** A pair to record now, standing for {@code count} events. */
    record Due(String keyId, String peer, long count) {}

    private record Pair(String keyId, String peer) {}

    private static final class Seen {
        long since;
        long suppressed;
    }

    private final Duration window;
    private final LongSupplier nanoTime;
    private final Map<Pair, Seen> seen = new LinkedHashMap<>();

    UnknownKeyThrottle(Duration window, LongSupplier nanoTime) {
        this.window = window;
        this.nanoTime = nanoTime;
    }

    /** Notes one event; returns what to record now (maybe nothing, maybe an evicted pair too). */
    synchronized List<Due> note(String keyId, String peer) {
        long now = nanoTime.getAsLong();
        List<Due> due = new ArrayList<>(1);
        Pair pair = new Pair(keyId, peer);
        Seen s = seen.get(pair);
        if (s != null && now - s.since < window.toNanos()) {
            s.suppressed++;
            return due;
        }
        long count = 1 + (s == null ? 0 : s.suppressed);
        seen.remove(pair);
        if (seen.size() >= MAX_TRACKED) {
            Iterator<Map.Entry<Pair, Seen>> oldest = seen.entrySet().iterator();
            Map.Entry<Pair, Seen> e = oldest.next();
            oldest.remove();
            if (e.getValue().suppressed > 0) {
                due.add(new Due(e.getKey().keyId(), e.getKey().peer(), e.getValue().suppressed));
            }
        }
        Seen fresh = new Seen();
        fresh.since = now;
        seen.put(pair, fresh);
        due.add(new Due(keyId, peer, count));
        return due;
    }

    /** What was counted but not yet recorded (at shutdown). */
    synchronized List<Due> drain() {
        List<Due> due = new ArrayList<>();
        seen.forEach((p, s) -> {
            if (s.suppressed > 0) due.add(new Due(p.keyId(), p.peer(), s.suppressed));
        });
        seen.clear();
        return due;
    }
}
