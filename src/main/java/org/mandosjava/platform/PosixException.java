package org.mandosjava.platform;

/** A failed system call, with its errno. */
public final class PosixException extends Exception {
    private final int errno;

    public PosixException(String call, int errno, String description) {
        super(call + ": " + description + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
