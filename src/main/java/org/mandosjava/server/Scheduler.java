package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for the client lifecycle: what time it is, and running a task later. Injected, so tests move
 * time forward instead of sleeping. Tasks run one at a time, on the scheduler's own thread; they must
 * not block.
 */
public interface Scheduler {
    Instant now();

    /** Runs {@code task} once after {@code delay} (at once if not positive). */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} after {@code initialDelay} and then every {@code period}, measured from the
     * planned times, so a late run does not push every later run back (no drift).
     */
    Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

    /** A scheduled task. Cancelling a task that ran or was cancelled already does nothing. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
