package org.mandosjava.zeroconf;

/** The listening address asked for cannot be honoured; the message is meant for the user. */
public final class InterfaceBindingException extends Exception {
    public InterfaceBindingException(String message) {
        super(message);
    }
}
