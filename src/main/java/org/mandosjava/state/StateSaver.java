package org.mandosjava.state;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When the server's state is written: {@link #saveNow()} before acting on a change that matters for
 * security (disable, enable, remove, approval decisions), {@link #saveSoon()} for bookkeeping (checker
 * results, expiry), which is coalesced into one save within a bounded delay, so 10,000 checkers do not
 * mean 10,000 writes. The coalescing delay grows with the time a save takes (ten times that, at
 * least), so that a large state (100,000 clients: 80 MB) is not rewritten back to back while checkers
 * keep finishing: the saver spends at most about a tenth of its time writing bookkeeping.
 * <p>
 * Each save takes a fresh snapshot and writes it under one lock, so an older snapshot can never
 * overwrite a newer one. A failed delayed save is logged and retried after the same delay.
 */
public final class StateSaver implements AutoCloseable {
    /** Bookkeeping may be this much older on disk than in memory after a crash. */
    public static final Duration DEFAULT_BOOKKEEPING_DELAY = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(StateSaver.class.getName());

    private final StateStore store;
    private final Supplier<SavedState> snapshot;
    private final Function<String, byte[]> configSecretByName;
    private final Duration delay;
    private final ScheduledExecutorService scheduler;
    private final Object saveLock = new Object();
    private final Object scheduleLock = new Object();
    private ScheduledFuture<?> pending;
    private boolean closed;
    private boolean failing;
    /** Nanoseconds the last save took. */
    private volatile long lastSaveNanos;
    /** A save takes at most this share of the time (1/10), for bookkeeping. */
    static final int DUTY_FACTOR = 10;
    /** However slow saves are, bookkeeping is on disk within this. */
    static final Duration MAX_BOOKKEEPING_DELAY = Duration.ofMinutes(2);

    /**
     * @param snapshot the server's current state, taken at save time
     * @param configSecretByName the current clients.conf secrets (consulted at save time, so a
     *     reloaded clients.conf applies)
     */
    public StateSaver(StateStore store, Supplier<SavedState> snapshot, Function<String, byte[]> configSecretByName,
            Duration bookkeepingDelay) {
        this.store = store;
        this.snapshot = snapshot;
        this.configSecretByName = configSecretByName;
        this.delay = bookkeepingDelay;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("state-saver").factory());
    }

    /** Saves durably before returning. */
    public void saveNow() throws IOException {
        synchronized (scheduleLock) {
            if (pending != null) pending.cancel(false);
            pending = null;
        }
        write();
    }

    /** Makes sure a save happens within the bookkeeping delay; never blocks, never throws. */
    public void saveSoon() {
        synchronized (scheduleLock) {
            if (closed || (pending != null && !pending.isDone())) return;
            Duration wait = bookkeepingDelay(delay, Duration.ofNanos(lastSaveNanos));
            pending = scheduler.schedule(this::delayedSave, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void delayedSave() {
        synchronized (scheduleLock) {
            pending = null;
        }
        try {
            write();
            if (failing) LOG.info("State saved to " + store.currentFile() + " again");
            failing = false;
        } catch (IOException | RuntimeException e) {
            // Warn once per run of failures; keep retrying, since the state on disk is getting stale.
            LOG.log(failing ? Level.FINE : Level.WARNING, "Could not save state to " + store.currentFile()
                    + ": " + e.getMessage() + "; retrying every " + delay, e);
            failing = true;
            saveSoon();
        }
    }

    /** The configured delay, or {@link #DUTY_FACTOR} times the last save's duration, bounded. */
    static Duration bookkeepingDelay(Duration configured, Duration lastSave) {
        Duration scaled = lastSave.multipliedBy(DUTY_FACTOR);
        if (scaled.compareTo(configured) <= 0) return configured;
        return scaled.compareTo(MAX_BOOKKEEPING_DELAY) < 0 ? scaled : MAX_BOOKKEEPING_DELAY;
    }

    private void write() throws IOException {
        synchronized (saveLock) {
            long start = System.nanoTime();
            SavedState state = snapshot.get();
            store.save(state, configSecretByName);
            lastSaveNanos = System.nanoTime() - start;
            LOG.fine(() -> "State of " + state.clients().size() + " clients saved in "
                    + Duration.ofNanos(lastSaveNanos).toMillis() + " ms");
        }
    }

    /** Stops delayed saves and writes the final state (at SIGTERM/SIGINT). */
    @Override
    public void close() throws IOException {
        synchronized (scheduleLock) {
            closed = true;
            if (pending != null) pending.cancel(false);
            pending = null;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("A delayed state save did not finish in " + SHUTDOWN_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write();
    }
}
