package org.mandosjava.server;

/**
 * Where the registry makes its state durable. Called without the registry's lock, after a change
 * is in effect in memory.
 */
public interface Persistence {
    /**
     * Returns once a write that started after this call has put the state on disk (a change an
     * operator or a reload made: its caller learns whether it is durable).
     *
     * @throws StateNotDurableException when it could not be written in time; the change stays in
     *     effect and writing is retried
     */
    void awaitDurable();

    /**
     * Notes a security change nobody waits for (a client disabled by its timeout, on the timer
     * thread): written at once, but never blocks on the disk.
     */
    void markUrgent();

    /** Notes bookkeeping (expiry, checker results): written within a short delay. Never blocks. */
    void markDirty();

    Persistence NONE = new Persistence() {
        @Override public void awaitDurable() {}

        @Override public void markUrgent() {}

        @Override public void markDirty() {}
    };
}
