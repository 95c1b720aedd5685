package org.mandosjava.server;

/**
 * A change is in effect in memory but could not be written to disk in time; the server keeps
 * trying. Whoever asked for the change must be told it is not durable: after a crash now it would
 * be lost.
 */
public final class StateNotDurableException extends RuntimeException {
    /** @param why the reason alone, e.g. "/var/lib/mandos/...: No space left on device" */
    public StateNotDurableException(String why, Throwable cause) {
        super("Changed, but not saved to disk: " + why + " (the server keeps trying to save)", cause);
    }
}
