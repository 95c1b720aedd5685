package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A scheduler whose clock moves only when a test says so. Due tasks run in time order on the thread
 * that calls {@link #advance}, with the clock set to each task's planned time while it runs.
 */
final class ManualScheduler implements Scheduler {
    private Instant now;
    private long sequence;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();

    private final class Task implements Comparable<Task>, Cancellable {
        Instant due;
        final Duration period;
        final Runnable action;
        final long order = sequence++;
        boolean cancelled;

        Task(Instant due, Duration period, Runnable action) {
            this.due = due;
            this.period = period;
            this.action = action;
        }

        @Override public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                queue.remove(this);
            }
        }
    }

    ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), null, task);
        queue.add(t);
        return t;
    }

    @Override
    public synchronized Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        Task t = new Task(now.plus(initialDelay), period, task);
        queue.add(t);
        return t;
    }

    /** Moves the clock forward by {@code d}, running every task that falls due on the way. */
    void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
                if (next.period != null) {
                    next.due = next.due.plus(next.period);
                    queue.add(next);
                }
            }
            next.action.run(); // outside our lock: tasks take the registry's
        }
    }

    /** Runs what is due now without moving the clock. */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int pendingTasks() {
        return queue.size();
    }
}
