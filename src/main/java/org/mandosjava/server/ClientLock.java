package org.mandosjava.server;

import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one lock that guards every client; a change made under it is saved and published when it is
 * released.
 *
 * <p>Lock discipline: this lock guards the state of every client, for the {@link ClientRegistry}
 * and its helpers alike. Public methods of the registry and timer tasks take it; the helpers'
 * methods are called with it held (see {@link LockedRegistry}). It is held only for in-memory
 * bookkeeping (no I/O, no process start, no listener call). Events are queued under the lock and
 * delivered in order after it is released, so listeners may block (a state store writing to disk)
 * without stalling decisions, and never see a half-made change. An approval wait releases the lock
 * while it sleeps.
 */
final class ClientLock {
    /** Changes that must be on disk before the call that made them returns (the rest may lag a little). */
    private static final Set<String> DURABLE_AT_ONCE = Set.of("Enabled", "Secret", "Timeout", "ExtendedTimeout",
            "Interval", "ApprovalDelay", "ApprovalDuration", "ApprovedByDefault", "Checker", "Host", "KeyExpires");

    private final ReentrantLock lock = new ReentrantLock();
    private final Scheduler scheduler;
    private final EventQueue events = new EventQueue();
    private volatile Persistence persistence = Persistence.NONE;
    /** Set under the lock by a change that must be durable before its caller returns. */
    private boolean durableSaveNeeded;
    private boolean saveNeeded;
    /** Counts changes worth saving, so a merge made without the lock can tell it is stale. */
    private long generation;

    /** @param scheduler tells whether the releasing thread is the timer thread, which must not wait for the disk */
    ClientLock(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The queue of events and actions that wait for the lock's release. */
    EventQueue events() {
        return events;
    }

    /** Where to make state durable; set before the registry starts. */
    void setPersistence(Persistence persistence) {
        this.persistence = persistence;
    }

    void lock() {
        lock.lock();
    }

    /** Releases the lock without saving or publishing: for a read, or a change that is neither. */
    void unlock() {
        lock.unlock();
    }

    Condition newCondition() {
        return lock.newCondition();
    }

    /** Counts changes worth saving; read under the lock. */
    long generation() {
        return generation;
    }

    /** Runs {@code read} under the lock, which it must leave unchanged. */
    <T> T read(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock, runs {@code action}, releases and publishes. */
    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            unlockAndPublish();
        }
    }

    /**
     * Releases the lock (publishing what is queued), asks {@code question} without it, and takes the
     * lock again, also if the question throws.
     */
    boolean whileUnlocked(BooleanSupplier question) {
        unlockAndPublish();
        try {
            return question.getAsBoolean();
        } finally {
            lock.lock();
        }
    }

    /** Records that properties of {@code c} changed: an event for listeners, and a state save. */
    void changed(Client c, String... properties) {
        queue(new ServerEvent.PropertiesChanged(c.name(), Set.of(properties)));
        for (String p : properties) {
            if (DURABLE_AT_ONCE.contains(p)) durableSaveNeeded = true;
        }
        saveNeeded = true;
    }

    /** Asks for a state save when the lock is released: at once if {@code durable}, else soon. */
    void saveNeeded(boolean durable) {
        if (durable) durableSaveNeeded = true;
        else saveNeeded = true;
    }

    void queue(ServerEvent event) {
        events.add(event);
    }

    /** Runs {@code action} once the lock is released (process starts and kills). */
    void afterUnlock(Runnable action) {
        events.add(action);
    }

    /**
     * Ends a change: releases the lock, has the change written (a security change made by a caller
     * waits for its write and learns when it failed; on the timer thread, which must not wait for
     * the disk, it is only handed to the saver, to write at once) and then tells listeners and runs
     * queued actions. The flags are taken under the lock, so the thread that made a change is the
     * one that waits.
     *
     * @throws StateNotDurableException the change is in effect but not on disk
     */
    void unlockAndPublish() {
        boolean now = durableSaveNeeded;
        boolean soon = saveNeeded;
        durableSaveNeeded = false;
        saveNeeded = false;
        if (now || soon) generation++;
        lock.unlock();
        if (lock.isHeldByCurrentThread()) {
            // A nested change inside another; the outermost one persists what is still flagged.
            durableSaveNeeded |= now;
            saveNeeded |= soon;
            return;
        }
        try {
            if (now && scheduler.isTimerThread()) persistence.markUrgent();
            else if (now) persistence.awaitDurable();
            else if (soon) persistence.markDirty();
        } finally {
            deliver();
        }
    }

    /** Delivers queued events and runs queued actions; called without the lock. */
    private void deliver() {
        if (lock.isHeldByCurrentThread()) return; // a nested call; the outermost one delivers
        events.deliver();
    }
}
