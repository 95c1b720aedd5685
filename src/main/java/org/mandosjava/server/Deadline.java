package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;

/**
 * A point on the scheduler's monotonic clock ({@link Scheduler#nanoTime()}): what every timeout,
 * interval and approval time is measured on, so that a step of the wall clock (NTP at boot,
 * {@code date -s}) neither fires nor delays anything. The wall-clock time a person reads is derived
 * from it when shown ({@link #wallTime}) and when saved; a saved one is turned back into a deadline
 * with its remaining time, clamped ({@link #fromWallTime}).
 *
 * @param nanos the monotonic reading at which it falls; compared by difference, as nanoTime must be
 */
record Deadline(long nanos) {
    /** The furthest a deadline is put; durations beyond it (centuries) count as this. */
    static final Duration FURTHEST = Duration.ofDays(100 * 365);
    /** Not FURTHEST.negated(): that multiplies through BigDecimal, whose class set-up alone is felt at start. */
    private static final Duration FURTHEST_BACK = Duration.ofDays(-100 * 365);

    static Deadline after(Scheduler scheduler, Duration delay) {
        return new Deadline(scheduler.nanoTime() + nanosOf(delay));
    }

    /**
     * The deadline a wall-clock time from the state file stands for: its remaining time from the wall
     * clock now, never negative and never more than {@code max} (the clock may have stepped while the
     * server was down, or the file may be from another machine).
     */
    static Deadline fromWallTime(Scheduler scheduler, Instant wall, Duration max) {
        Duration remaining = Duration.between(scheduler.now(), wall);
        if (remaining.isNegative()) remaining = Duration.ZERO;
        if (remaining.compareTo(max) > 0) remaining = max;
        return after(scheduler, remaining);
    }

    Deadline plus(Duration d) {
        return new Deadline(nanos + nanosOf(d));
    }

    /** Time left (negative once passed). */
    Duration remaining(Scheduler scheduler) {
        return Duration.ofNanos(nanos - scheduler.nanoTime());
    }

    boolean passed(Scheduler scheduler) {
        return nanos - scheduler.nanoTime() <= 0;
    }

    boolean isBefore(Deadline other) {
        return nanos - other.nanos < 0;
    }

    /** For display and the state file: the wall-clock time it falls at, as the wall clock reads now. */
    Instant wallTime(Scheduler scheduler) {
        return scheduler.now().plus(remaining(scheduler));
    }

    private static long nanosOf(Duration d) {
        if (d.compareTo(FURTHEST) > 0) return FURTHEST.toNanos();
        if (d.compareTo(FURTHEST_BACK) < 0) return -FURTHEST.toNanos();
        return d.toNanos();
    }
}
