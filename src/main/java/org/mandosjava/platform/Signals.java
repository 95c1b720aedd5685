package org.mandosjava.platform;

/** Signals to whole process groups, which {@link ProcessHandle} cannot send; inherited dispositions. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    /** {@code SIG_IGN} as a handler address. */
    private static final long SIG_IGN = 1;
    /** Larger than any libc's struct sigaction (glibc x86-64: 152 bytes). */
    private static final int SIGACTION_SIZE = 256;

    private Signals() {}

    /**
     * Makes {@code signal} deliverable again if whoever started this process ignored it (nohup, a
     * shell's {@code trap ''}): the JVM installs no handler for an ignored SIGHUP, so
     * {@code Signal.handle} would succeed and the signal would never arrive. Call before installing
     * the handler. A signal that is not ignored is left as it is (the JVM's own handler included).
     *
     * @return whether it was ignored
     */
    public static boolean unignore(int signal) {
        try (com.sun.jna.Memory old = new com.sun.jna.Memory(SIGACTION_SIZE)) {
            old.clear();
            if (LibC.sigaction(signal, null, old) != 0) return false;
            // sa_handler (a union with sa_sigaction) comes first in struct sigaction.
            if (old.getLong(0) != SIG_IGN) return false;
            LibC.signal(signal, null);
            return true;
        }
    }

    /** Sends {@code signal} to every process in group {@code pgid}; false if none was there. */
    public static boolean killGroup(long pgid, int signal) {
        if (pgid <= 1) throw new IllegalArgumentException("refusing to signal process group " + pgid);
        return LibC.kill((int) -pgid, signal) == 0;
    }
}
