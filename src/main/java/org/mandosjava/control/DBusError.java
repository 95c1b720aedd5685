package org.mandosjava.control;

/** A method call failed; the caller gets an error reply named {@link #name()} with this message. */
final class DBusError extends Exception {
    private final String name;

    DBusError(String name, String message) {
        super(message);
        this.name = name;
    }

    String name() {
        return name;
    }
}
