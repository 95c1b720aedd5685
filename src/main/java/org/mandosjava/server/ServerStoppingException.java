package org.mandosjava.server;

/**
 * A caller asked for something a stopping server no longer does (a checker now, while it withdraws
 * from D-Bus): the caller must learn that it did not happen.
 */
public final class ServerStoppingException extends RuntimeException {
    public ServerStoppingException(String message) {
        super(message);
    }
}
