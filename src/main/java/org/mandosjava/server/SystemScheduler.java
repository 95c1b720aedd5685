package org.mandosjava.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real scheduler: one platform thread for all timers of all clients (10,000 clients are 10,000
 * entries in a heap, not 10,000 threads), and the system clock.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SystemScheduler.class.getName());

    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService executor;
    private volatile Thread timerThread;

    public SystemScheduler() {
        this("mandos-timers");
    }

    /** A scheduler on a thread of its own, named {@code threadName}. */
    public SystemScheduler(String threadName) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            timerThread = t;
            return t;
        });
        // Cancelled timers (every checker success cancels one) must not pile up until they are due.
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime(); // the clock ScheduledThreadPoolExecutor measures delays on
    }

    @Override
    public boolean isTimerThread() {
        return Thread.currentThread() == timerThread;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        ScheduledFuture<?> f = executor.scheduleAtFixedRate(guarded(task), Math.max(0, initialDelay.toNanos()),
                Math.max(1, period.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** An exception would silently end a periodic task; log it and keep the timer alive. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "timer task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
