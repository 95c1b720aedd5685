package org.mandosjava.control;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The signals waiting for the bus, sent in order by one thread of their own. Whoever changes a
 * client only adds to it: a slow or stalled bus daemon (100,000 clients announced at startup take
 * it minutes; a stopped one never reads) delays the signals, never a secret, a timer or a start.
 *
 * <p>Three kinds of work, so that memory stays bounded whatever the bus does:
 * <ul>
 *   <li>announcements and withdrawals of client objects: never dropped, at most two per client (an
 *       announcement still waiting when its client goes is taken back, with the withdrawal);</li>
 *   <li>property changes: one pending entry per client, later changes merged into it (the values
 *       are read when it is sent, so nothing but a repeat is lost); the client count likewise;</li>
 *   <li>other signals (a key not found, a secret sent, a checker's result): up to
 *       {@link #MAX_PENDING_SIGNALS} waiting; beyond that they are counted, dropped and logged,
 *       as a signal the bus refuses is.</li>
 * </ul>
 */
final class SignalQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SignalQueue.class.getName());
    /** About 1,000 unlocks' worth of signals: a stalled bus then costs a few MB, not the heap. */
    static final int MAX_PENDING_SIGNALS = 8192;
    private static final Duration DROP_WARNING_INTERVAL = Duration.ofMinutes(1);

    private final BiConsumer<String, Set<String>> sendChanges;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The property names waiting per client; the queue holds a {@link Changes} for each key. */
    private final Map<String, Set<String>> pendingChanges = new HashMap<>();
    /** The clients whose {@link Announcement} waits. */
    private final Set<String> pendingAnnouncements = new HashSet<>();
    /** The keys of the {@link Once} items waiting. */
    private final Set<String> pendingOnce = new HashSet<>();
    private int pendingSignals;
    private boolean running; // a job taken and not yet done
    private boolean closed;
    private long dropped;
    private long droppedSinceWarning;
    private long lastWarning;
    private boolean warned;
    private Thread sender;

    /** @param sendChanges sends the signals for a client's changed properties (the names merged) */
    SignalQueue(BiConsumer<String, Set<String>> sendChanges, LongSupplier nanoClock) {
        this.sendChanges = sendChanges;
        this.nanoClock = nanoClock;
    }

    /** A signal of the changes to a client's properties, waiting only once per client. */
    private record Changes(String client) {}

    /** A signal that counts against {@link #MAX_PENDING_SIGNALS}. */
    private record Droppable(Runnable send) {}

    /** A client's announcement, sent unless {@link #forgetAnnouncement} took it back. */
    private record Announcement(String client, Runnable send) {}

    /** A signal of the state as it is when sent, waiting only once (see {@link #once}). */
    private record Once(String key, Runnable send) {}

    /** Starts the sending thread. */
    void start() {
        lock.lock();
        try {
            if (sender != null || closed) return;
            sender = Thread.ofPlatform().daemon().name("mandos-dbus-signals").start(this::run);
        } finally {
            lock.unlock();
        }
    }

    /** A withdrawal of a client object (or other work bounded by the clients): never dropped. */
    void always(Runnable send) {
        lock.lock();
        try {
            if (closed) return;
            queue.add(send);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The announcement of {@code client}'s object: never dropped, but see {@link #forgetAnnouncement}. */
    void announcement(String client, Runnable send) {
        lock.lock();
        try {
            if (closed) return;
            pendingAnnouncements.add(client);
            queue.add(new Announcement(client, send));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes back {@code client}'s announcement if it still waits (a client removed, or a server
     * leaving, before the bus took it: nobody heard of the client, so nobody needs to hear it go).
     *
     * @return true if the announcement was still waiting and will not be sent
     */
    boolean forgetAnnouncement(String client) {
        lock.lock();
        try {
            return pendingAnnouncements.remove(client);
        } finally {
            lock.unlock();
        }
    }

    /** Another signal; dropped (and counted) if {@link #MAX_PENDING_SIGNALS} are waiting already. */
    void signal(Runnable send) {
        String warning = null;
        lock.lock();
        try {
            if (closed) return;
            if (pendingSignals >= MAX_PENDING_SIGNALS) {
                dropped++;
                droppedSinceWarning++;
                warning = dropWarning();
            } else {
                pendingSignals++;
                queue.add(new Droppable(send));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (warning != null) LOG.warning(warning);
    }

    /**
     * A signal that reports the state when it is sent (the client count), queued unless one with
     * the same {@code key} waits already: 100,000 announcements then end with one count, not 100,000.
     */
    void once(String key, Runnable send) {
        lock.lock();
        try {
            if (closed || !pendingOnce.add(key)) return;
            queue.add(new Once(key, send));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Properties of {@code client} changed: merged with its changes still waiting, if any. */
    void changes(String client, Set<String> properties) {
        lock.lock();
        try {
            if (closed) return;
            Set<String> waiting = pendingChanges.get(client);
            if (waiting == null) {
                pendingChanges.put(client, properties);
                queue.add(new Changes(client));
                changed.signalAll();
            } else if (!waiting.containsAll(properties)) {
                Set<String> merged = new HashSet<>(waiting);
                merged.addAll(properties);
                pendingChanges.put(client, merged);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Signals dropped so far because too many waited. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Jobs waiting or being sent. */
    int backlog() {
        lock.lock();
        try {
            return queue.size() + (running ? 1 : 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until everything queued so far has been sent, up to {@code limit} (monotonic).
     *
     * @return false if signals were still waiting when the limit came, or were discarded by {@link #close}
     */
    boolean awaitSent(Duration limit) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + limit.toNanos();
        lock.lock();
        try {
            if (closed) return false;
            while (!queue.isEmpty() || running) {
                long left = deadline - nanoClock.getAsLong();
                if (left <= 0 || closed) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending; what still waits is discarded. A send in progress finishes or fails on its own. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            pendingChanges.clear();
            pendingAnnouncements.clear();
            pendingOnce.clear();
            pendingSignals = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The first drop, then at most one line a minute with the count; called under the lock. */
    private String dropWarning() {
        long now = nanoClock.getAsLong();
        if (warned && now - lastWarning < DROP_WARNING_INTERVAL.toNanos()) return null;
        String line = "D-Bus: the bus is not taking our signals fast enough; " + droppedSinceWarning
                + " signal" + (droppedSinceWarning == 1 ? "" : "s") + " dropped (" + dropped + " in all)";
        warned = true;
        lastWarning = now;
        droppedSinceWarning = 0;
        return line;
    }

    private void run() {
        while (true) {
            Runnable job;
            lock.lock();
            try {
                running = false;
                changed.signalAll(); // awaitSent looks again
                while (queue.isEmpty() && !closed) changed.awaitUninterruptibly();
                if (closed) return;
                job = take(queue.poll());
                running = true;
            } finally {
                lock.unlock();
            }
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "D-Bus signal not sent", e);
            }
        }
    }

    /** The work of a queued item; called under the lock. */
    private Runnable take(Object item) {
        return switch (item) {
            case Changes c -> {
                Set<String> properties = pendingChanges.remove(c.client());
                yield () -> sendChanges.accept(c.client(), properties);
            }
            case Droppable d -> {
                pendingSignals--;
                yield d.send();
            }
            case Announcement a -> pendingAnnouncements.remove(a.client()) ? a.send() : () -> { };
            case Once o -> {
                pendingOnce.remove(o.key());
                yield o.send();
            }
            case Runnable r -> r;
            default -> throw new IllegalStateException("unknown item " + item);
        };
    }
}
