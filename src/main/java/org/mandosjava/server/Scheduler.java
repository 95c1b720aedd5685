package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for the client lifecycle: two clocks, and running a task later. Injected, so tests move time
 * forward (and step the wall clock) instead of sleeping. Tasks run one at a time, on the scheduler's
 * own thread, so a slow one delays the others.
 */
public interface Scheduler {
    /** The wall clock: for what a person reads (D-Bus timestamps) and the state file only. */
    Instant now();

    /**
     * The monotonic clock, in nanoseconds from an arbitrary origin ({@link System#nanoTime()}): what
     * every deadline is measured on ({@link Deadline}), and what task delays follow.
     */
    long nanoTime();

    /** Runs {@code task} once after {@code delay} (at once if not positive). */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} after {@code initialDelay} and then every {@code period}, measured from the
     * planned times, so a late run does not push every later run back (no drift).
     */
    Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

    /** Whether the caller is the thread that runs the tasks (which must not wait for the disk). */
    default boolean isTimerThread() {
        return false;
    }

    /** A scheduled task. Cancelling a task that ran or was cancelled already does nothing. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
