package org.mandosjava.state;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.platform.IoErrors;

/**
 * Writes the server's state on a thread of its own, many changes per write (group commit).
 * <p>
 * Every change is counted. {@link #markDirty()} (checker results, expiries) asks for a write within
 * the bookkeeping delay, {@link #markUrgent()} (a timeout disable) for one at once; neither blocks.
 * {@link #awaitDurable()} (a change an operator or a reload made) asks for a write at once and
 * returns when a write that
 * <em>started after</em> the call has put the state on disk; it throws when that write failed or did
 * not finish within the wait bound. Whoever waits, the state is written by the saver thread only,
 * one whole snapshot per write, so an older snapshot can never overwrite a newer one.
 * <p>
 * The bookkeeping delay grows with the time a write takes (ten times that, at least), so a large
 * state (100,000 clients: 80 MB) is not rewritten back to back while checkers keep finishing.
 * <p>
 * A failed write is retried with a growing pause ({@link #FIRST_RETRY} doubling up to
 * {@link #MAX_RETRY}); a new waiting change is tried at once. The first failure of a run is logged
 * at SEVERE and the first success after it at WARNING, the failures between them at FINE only.
 */
public final class StateSaver implements AutoCloseable {
    /** Bookkeeping may be this much older on disk than in memory after a crash. */
    public static final Duration DEFAULT_BOOKKEEPING_DELAY = Duration.ofSeconds(5);
    /** How long a change waits for its write before its caller is told it is not durable. */
    public static final Duration DEFAULT_DURABLE_WAIT = Duration.ofSeconds(10);
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** A write takes at most this share of the time (1/10), for bookkeeping. */
    static final int DUTY_FACTOR = 10;
    /** However slow writes are, bookkeeping is on disk within this. */
    static final Duration MAX_BOOKKEEPING_DELAY = Duration.ofMinutes(2);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(StateSaver.class.getName());

    /** Writes one whole state durably, or throws. */
    @FunctionalInterface
    public interface Writer {
        void write(SavedState state) throws IOException;
    }

    private final Writer writer;
    private final String where;
    private final Supplier<SavedState> snapshot;
    private final Duration bookkeepingDelay;
    private final Duration durableWait;
    private final Thread thread;

    // Guarded by this. Changes are numbered 1, 2, 3...; a write covers every change counted before it started.
    private long changes;
    private long savedUpTo;
    private long failedUpTo;
    private long urgentUpTo;
    private long dirtySinceNanos;
    private long retryAtNanos;
    private Duration retryPause = FIRST_RETRY;
    private Exception lastFailure;
    private long lastWriteNanos;
    private boolean closed;
    private volatile Outcomes outcomes = (saved, problem) -> { };

    /** Told of every write's outcome, on the saver's thread (the audit trail, metrics). */
    @FunctionalInterface
    public interface Outcomes {
        /** @param problem why it failed, or null when saved */
        void written(boolean saved, String problem);
    }

    /**
     * @param snapshot the server's current state, taken at write time
     * @param configSecretByName the current clients.conf secrets (consulted at write time, so a
     *     reloaded clients.conf applies)
     */
    public StateSaver(StateStore store, Supplier<SavedState> snapshot, Function<String, byte[]> configSecretByName,
            Duration bookkeepingDelay) {
        this(state -> store.save(state, configSecretByName), store.currentFile().toString(), snapshot,
                bookkeepingDelay, DEFAULT_DURABLE_WAIT);
    }

    /**
     * @param where what the writer writes, for log lines and errors
     * @param durableWait how long {@link #awaitDurable()} waits at most
     */
    public StateSaver(Writer writer, String where, Supplier<SavedState> snapshot, Duration bookkeepingDelay,
            Duration durableWait) {
        this.writer = writer;
        this.where = where;
        this.snapshot = snapshot;
        this.bookkeepingDelay = bookkeepingDelay;
        this.durableWait = durableWait;
        // A platform thread: a write blocks in fsync, which would pin a virtual thread's carrier anyway.
        this.thread = Thread.ofPlatform().daemon().name("state-saver").start(this::run);
    }

    public void setOutcomes(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    /** Notes a change; it is written within the bookkeeping delay. Never blocks on the disk. */
    public synchronized void markDirty() {
        // Only a first change moves the saver's deadline; waking it for every later one would cost
        // a context switch per unlock and change nothing.
        boolean wasClean = changes == savedUpTo;
        count();
        if (wasClean) notifyAll();
    }

    /** Notes a change to be written at once, without waiting for it. Never blocks on the disk. */
    public synchronized void markUrgent() {
        urgentUpTo = count();
        notifyAll();
    }

    /**
     * Notes a change and waits until a write that started after this call has put it on disk.
     *
     * @throws IOException why it is not on disk: the write's failure, or a message saying that no
     *     write finished within the wait bound (the saver keeps trying in both cases)
     * @throws InterruptedException the wait was interrupted (the change may still be written)
     */
    public synchronized void awaitDurable() throws IOException, InterruptedException {
        if (closed) throw new IOException("not written to " + where + ": the server is shutting down");
        long mine = count();
        urgentUpTo = mine;
        notifyAll();
        long deadline = System.nanoTime() + durableWait.toNanos();
        while (savedUpTo < mine) {
            if (failedUpTo >= mine) throw notDurable(lastFailure);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("not written to " + where + " within " + readable(durableWait)
                        + " (the disk is slow or hangs)");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private static String readable(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The failure as the caller sees it, naming the file: "FILE: reason". */
    private IOException notDurable(Exception failure) {
        if (failure instanceof java.nio.file.FileSystemException fse && fse.getFile() != null) return fse;
        return new IOException(where + ": " + describe(failure), failure);
    }

    /** How many changes were noted so far (for tests). */
    synchronized long changesNoted() {
        return changes;
    }

    private long count() {
        if (changes == savedUpTo) dirtySinceNanos = System.nanoTime();
        return ++changes;
    }

    private void run() {
        while (true) {
            long upTo;
            synchronized (this) {
                try {
                    while (!closed && !due()) waitUntilDue();
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) return;
                upTo = changes;
            }
            attempt(upTo);
        }
    }

    /** Whether a write should start now; guarded by this. */
    private boolean due() {
        return nanosUntilDue() <= 0;
    }

    private long nanosUntilDue() {
        if (changes == savedUpTo) return Long.MAX_VALUE;
        long now = System.nanoTime();
        if (urgentUpTo > savedUpTo && urgentUpTo > failedUpTo) return 0;
        if (lastFailure != null) return retryAtNanos - now;
        long delay = bookkeepingDelay(bookkeepingDelay, Duration.ofNanos(lastWriteNanos)).toNanos();
        return dirtySinceNanos + delay - now;
    }

    private void waitUntilDue() throws InterruptedException {
        long wait = nanosUntilDue();
        if (wait == Long.MAX_VALUE) wait();
        else TimeUnit.NANOSECONDS.timedWait(this, wait);
    }

    /** Writes a snapshot covering changes up to {@code upTo}; records and logs the outcome. */
    private Exception attempt(long upTo) {
        long start = System.nanoTime();
        Exception failure = null;
        int clients = 0;
        try {
            SavedState state = snapshot.get();
            clients = state.clients().size();
            writer.write(state);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        long took = System.nanoTime() - start;
        synchronized (this) {
            if (failure == null) {
                savedUpTo = Math.max(savedUpTo, upTo);
                lastWriteNanos = took;
                if (changes > savedUpTo) dirtySinceNanos = System.nanoTime();
                if (lastFailure != null) LOG.warning("State saved to " + where + " again");
                lastFailure = null;
                retryPause = FIRST_RETRY;
                int n = clients;
                LOG.fine(() -> "State of " + n + " clients saved in " + Duration.ofNanos(took).toMillis() + " ms");
            } else {
                failedUpTo = Math.max(failedUpTo, upTo);
                LOG.log(lastFailure == null ? Level.SEVERE : Level.FINE, "Could not save state to " + where + ": "
                        + describe(failure) + "; retrying until it works",
                        failure instanceof IOException ? null : failure);  // a bug's stack trace, not a disk's
                lastFailure = failure;
                retryAtNanos = System.nanoTime() + retryPause.toNanos();
                Duration doubled = retryPause.plus(retryPause);
                retryPause = doubled.compareTo(MAX_RETRY) < 0 ? doubled : MAX_RETRY;
            }
            notifyAll();
        }
        outcomes.written(failure == null, failure == null ? null : describe(failure));
        return failure;
    }

    private static String describe(Exception e) {
        return e instanceof IOException io ? IoErrors.describe(io) : String.valueOf(e.getMessage());
    }

    /** The configured delay, or {@link #DUTY_FACTOR} times the last write's duration, bounded. */
    static Duration bookkeepingDelay(Duration configured, Duration lastSave) {
        // In nanoseconds, not Duration.multipliedBy: that goes through BigDecimal, whose class set-up
        // alone (a few MB of garbage and C2 compiles of BigInteger) lands in the server's first second.
        long nanos = lastSave.toNanos();
        Duration scaled = nanos > Long.MAX_VALUE / DUTY_FACTOR ? ChronoUnit.FOREVER.getDuration()
                : Duration.ofNanos(nanos * DUTY_FACTOR);
        if (scaled.compareTo(configured) <= 0) return configured;
        return scaled.compareTo(MAX_BOOKKEEPING_DELAY) < 0 ? scaled : MAX_BOOKKEEPING_DELAY;
    }

    /**
     * Stops the saver thread (letting a write in progress finish) and writes the final state (at
     * SIGTERM/SIGINT).
     *
     * @throws IOException when the final state could not be written
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) return;
            closed = true;
            notifyAll();
        }
        try {
            if (!thread.join(SHUTDOWN_WAIT)) LOG.warning("A state save did not finish in " + SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long upTo;
        synchronized (this) {
            upTo = changes;
        }
        Exception failure = attempt(upTo);
        if (failure != null) throw notDurable(failure);
    }
}
