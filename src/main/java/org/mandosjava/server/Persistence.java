package org.mandosjava.server;

/**
 * Where the registry makes its state durable. Called without the registry's lock, on the thread
 * that made the change, so a change that matters for security (enable, disable, removal, a new
 * secret) is on disk before the call that made it returns.
 */
public interface Persistence {
    /** Writes the current state durably before returning. */
    void saveNow();

    /** Writes the current state within a short, bounded delay (checker bookkeeping, expiries). */
    void saveSoon();

    Persistence NONE = new Persistence() {
        @Override public void saveNow() {}

        @Override public void saveSoon() {}
    };
}
