package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A scheduler whose clocks move only when a test says so. {@link #advance} moves both clocks; due
 * tasks run in time order on the thread that calls it, with the clocks set to each task's planned
 * time while it runs. {@link #stepWallClock} moves the wall clock alone, either way, as NTP or
 * {@code date -s} does; tasks follow the monotonic clock, so a step runs nothing.
 */
public final class ManualScheduler implements Scheduler {
    /** An arbitrary origin, far from zero, so that mixing up the clocks shows. */
    private static final long ORIGIN = 123_456_789_000_000L;

    private Instant wall;
    private long nanos = ORIGIN;
    private long sequence;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();

    private final class Task implements Comparable<Task>, Cancellable {
        long due;
        final Duration period;
        final Runnable action;
        final long order = sequence++;
        boolean cancelled;

        Task(long due, Duration period, Runnable action) {
            this.due = due;
            this.period = period;
            this.action = action;
        }

        @Override public int compareTo(Task o) {
            int c = Long.compare(due - o.due, 0);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                queue.remove(this);
            }
        }
    }

    public ManualScheduler(Instant start) {
        this.wall = start;
    }

    @Override
    public synchronized Instant now() {
        return wall;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(nanos + (delay.isNegative() ? 0 : delay.toNanos()), null, task);
        queue.add(t);
        return t;
    }

    @Override
    public synchronized Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        Task t = new Task(nanos + initialDelay.toNanos(), period, task);
        queue.add(t);
        return t;
    }

    /** Moves both clocks forward by {@code d}, running every task that falls due on the way. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nanos + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due - target > 0) {
                    moveTo(target);
                    return;
                }
                queue.poll();
                moveTo(next.due);
                if (next.period != null) {
                    next.due += next.period.toNanos();
                    queue.add(next);
                }
            }
            next.action.run(); // outside our lock: tasks take the registry's
        }
    }

    private void moveTo(long target) {
        wall = wall.plusNanos(target - nanos);
        nanos = target;
    }

    /** Steps the wall clock alone by {@code d} (negative: back); the monotonic clock and tasks stay. */
    public synchronized void stepWallClock(Duration d) {
        wall = wall.plus(d);
    }

    /** Runs what is due now without moving the clock. */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int pendingTasks() {
        return queue.size();
    }
}
