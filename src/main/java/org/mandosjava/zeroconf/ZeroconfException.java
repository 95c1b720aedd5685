package org.mandosjava.zeroconf;

/** The service could not be announced (no usable announcer, bad settings, or a fatal D-Bus error). */
public final class ZeroconfException extends Exception {
    public ZeroconfException(String message) {
        super(message);
    }

    public ZeroconfException(String message, Throwable cause) {
        super(message, cause);
    }
}
