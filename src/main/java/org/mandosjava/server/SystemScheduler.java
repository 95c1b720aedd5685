package org.mandosjava.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real scheduler: one platform thread for all timers of all clients, and the system clock.
 *
 * <p>Every client has two timers (its checker and its expiry), so a timer is one small object in a
 * binary heap ordered by due time: with 100,000 clients, a {@code ScheduledThreadPoolExecutor}'s
 * future, adapter and wrappers per timer were 27 MB; these are 11. Cancelling removes a timer from
 * the heap at once (every successful check cancels one), so cancelled timers do not pile up until
 * they are due. Timers due at the same time run in the order they were scheduled.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SystemScheduler.class.getName());
    /**
     * Longer delays are cut to this (73 years): due times are compared by difference, which must
     * not overflow.
     */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 2;
    private static final Duration MAX_DELAY = Duration.ofNanos(MAX_DELAY_NANOS);

    private final Clock clock = Clock.systemUTC();
    private final String threadName;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queueChanged = lock.newCondition();
    // Guarded by lock.
    private Timer[] heap = new Timer[64];
    private int size;
    private long scheduled;
    private boolean closed;
    private volatile Thread thread; // set once, under lock

    public SystemScheduler() {
        this("mandos-timers");
    }

    /** A scheduler on a thread of its own, named {@code threadName}, started with the first timer. */
    public SystemScheduler(String threadName) {
        this.threadName = threadName;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime(); // the clock due times are measured on
    }

    @Override
    public boolean isTimerThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return add(delay, 0, task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        return add(initialDelay, Math.max(1, nanos(period)), task);
    }

    private Cancellable add(Duration delay, long periodNanos, Runnable task) {
        Timer timer = new Timer(task, periodNanos);
        lock.lock();
        try {
            if (closed) throw new RejectedExecutionException("scheduler " + threadName + " is closed");
            if (thread == null) {
                thread = new Thread(this::runTimers, threadName);
                thread.setDaemon(true);
                thread.start();
            }
            timer.due = System.nanoTime() + nanos(delay);
            enqueue(timer);
        } finally {
            lock.unlock();
        }
        return timer;
    }

    private static long nanos(Duration d) {
        if (d.compareTo(MAX_DELAY) > 0) return MAX_DELAY_NANOS;
        return d.isNegative() ? 0 : d.toNanos();
    }

    private void runTimers() {
        lock.lock();
        try {
            while (!closed) {
                if (size == 0) {
                    queueChanged.await();
                    continue;
                }
                Timer next = heap[0];
                long wait = next.due - System.nanoTime();
                if (wait > 0) {
                    queueChanged.awaitNanos(wait);
                    continue;
                }
                removeAt(0);
                if (next.period > 0) {
                    // From the planned time, not from now: a late run does not push later ones back.
                    next.due += next.period;
                    enqueue(next);
                }
                lock.unlock();
                try {
                    next.task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.SEVERE, "timer task failed", e);
                } finally {
                    lock.lock();
                }
            }
        } catch (InterruptedException e) {
            // close(): the thread ends.
        } finally {
            lock.unlock();
        }
    }

    /** Timers waiting to run (a periodic one counts while it is not cancelled). */
    int pending() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            Arrays.fill(heap, 0, size, null);
            size = 0;
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) t.interrupt();
    }

    // The heap, guarded by lock: the earliest due time first, ties in scheduling order.

    private void enqueue(Timer timer) {
        timer.order = scheduled++;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        timer.index = size++;
        heap[timer.index] = timer;
        siftUp(timer.index);
        if (heap[0] == timer) queueChanged.signal();
    }

    private void removeAt(int i) {
        Timer removed = heap[i];
        removed.index = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) siftUp(i);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, heap[parent])) break;
            place(heap[parent], i);
            i = parent;
        }
        place(t, i);
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) child = right;
            if (!before(heap[child], t)) break;
            place(heap[child], i);
            i = child;
        }
        place(t, i);
    }

    private void place(Timer t, int i) {
        heap[i] = t;
        t.index = i;
    }

    private static boolean before(Timer a, Timer b) {
        long d = a.due - b.due;
        return d < 0 || (d == 0 && a.order < b.order);
    }

    /** One timer; its fields other than task and period are guarded by the scheduler's lock. */
    private final class Timer implements Cancellable {
        final Runnable task;
        final long period;
        long due;
        long order;
        int index = -1;

        Timer(Runnable task, long period) {
            this.task = task;
            this.period = period;
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (index >= 0) removeAt(index);
            } finally {
                lock.unlock();
            }
        }
    }
}
