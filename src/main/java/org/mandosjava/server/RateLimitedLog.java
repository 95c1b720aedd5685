package org.mandosjava.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a flood out of the journal while still saying that it happens. Per interval, each kind of
 * line is written at most {@code burst} times; what is held back, and events that are only counted,
 * come out as one summary line per interval. An attacker then costs a bounded number of lines, and
 * journald's own rate limit never drops the warnings that matter.
 *
 * <p>Time comes from an injected monotonic clock (nanoseconds); {@link #flush()} is called by a
 * timer, and by every call, so a summary is never older than one interval plus the timer's period.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final int burst;
    private final LongSupplier nanoClock;
    private final Map<String, int[]> written = new LinkedHashMap<>();
    private final Map<String, Long> heldBack = new LinkedHashMap<>();
    private final Map<String, Long> counted = new LinkedHashMap<>();
    /** Events counted in the previous interval: still the same flood, no new first line. */
    private Set<String> ongoing = Set.of();
    private long intervalStart;

    public RateLimitedLog(Logger log, Duration interval, int burst, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.intervalStart = nanoClock.getAsLong();
    }

    /** Writes the line unless {@code burst} lines of {@code kind} were written this interval. */
    public void log(Level level, String kind, Supplier<String> line) {
        if (!log.isLoggable(level)) return;
        boolean write;
        List<String> summary;
        synchronized (this) {
            summary = rollOver();
            int[] n = written.computeIfAbsent(kind, k -> new int[1]);
            write = n[0] < burst;
            if (write) n[0]++;
            else heldBack.merge(kind, 1L, Long::sum);
        }
        writeSummary(summary);
        if (write) log.log(level, line.get());
    }

    /**
     * Counts one event for the next summary; the first of a kind after an interval without it is
     * written at once as {@code first}, so the start of a flood is seen when it starts.
     */
    void count(String event, Supplier<String> first) {
        boolean isFirst;
        List<String> summary;
        synchronized (this) {
            summary = rollOver();
            isFirst = counted.merge(event, 1L, Long::sum) == 1 && !ongoing.contains(event);
        }
        writeSummary(summary);
        if (isFirst) log.warning(first.get());
    }

    /** Writes the summary of the interval if it has ended. */
    public void flush() {
        List<String> summary;
        synchronized (this) {
            summary = rollOver();
        }
        writeSummary(summary);
    }

    private List<String> rollOver() {
        long now = nanoClock.getAsLong();
        if (now - intervalStart < intervalNanos) return List.of();
        List<String> parts = new ArrayList<>();
        counted.forEach((event, n) -> parts.add(n + " " + event));
        heldBack.forEach((kind, n) -> parts.add(n + " more '" + kind + "' lines not written"));
        long seconds = Math.max(1, (now - intervalStart) / 1_000_000_000L);
        ongoing = Set.copyOf(counted.keySet());
        counted.clear();
        heldBack.clear();
        written.clear();
        intervalStart = now;
        if (parts.isEmpty()) return List.of();
        return List.of("In the last " + seconds + " s: " + String.join(", ", parts));
    }

    private void writeSummary(List<String> summary) {
        for (String s : summary) log.warning(s);
    }
}
