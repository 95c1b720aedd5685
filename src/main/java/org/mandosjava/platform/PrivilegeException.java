package org.mandosjava.platform;

/**
 * Privileges could not be dropped. The message starts with "cannot drop privileges: " so the
 * caller can log it as it is.
 */
public final class PrivilegeException extends Exception {
    PrivilegeException(String problem) {
        super("cannot drop privileges: " + problem);
    }

    PrivilegeException(String problem, Throwable cause) {
        super("cannot drop privileges: " + problem, cause);
    }
}
