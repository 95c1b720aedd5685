package org.mandosjava.tools.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The servers that were tried and gave nothing, least recently tried first — the original's circular
 * retry list (spec §6.2): a server is never dropped, and each is tried again once {@code interval}
 * has passed since its last attempt. Times are {@link System#nanoTime()} values, passed in so the
 * schedule is testable without waiting.
 */
final class RetryList {
    private record Entry(ServerAddress server, long lastTried) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final long intervalNanos;

    RetryList(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Records an attempt that ended at {@code now}; the server goes to the back of the list. */
    void tried(ServerAddress server, long now) {
        entries.removeIf(entry -> entry.server().equals(server));
        entries.addLast(new Entry(server, now));
    }

    /** Nanoseconds until the next server is due (zero or less: due now); {@link Long#MAX_VALUE} if none. */
    long nanosUntilDue(long now) {
        Entry first = entries.peekFirst();
        return first == null ? Long.MAX_VALUE : first.lastTried() + intervalNanos - now;
    }

    /** The least recently tried server, if its interval has passed. */
    Optional<ServerAddress> due(long now) {
        return nanosUntilDue(now) <= 0 ? Optional.of(entries.peekFirst().server()) : Optional.empty();
    }

    int size() {
        return entries.size();
    }
}
