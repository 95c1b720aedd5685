package org.mandosjava.server;

/**
 * A change to shared client state was refused, or committed but not confirmed by every server; the
 * message says which, for the caller.
 */
public final class SharedChangeException extends RuntimeException {
    public SharedChangeException(String message) {
        super(message);
    }

    public SharedChangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
