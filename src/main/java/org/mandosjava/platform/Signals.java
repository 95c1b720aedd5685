package org.mandosjava.platform;

/** Signals to whole process groups, which {@link ProcessHandle} cannot send. */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private Signals() {}

    /** Sends {@code signal} to every process in group {@code pgid}; false if none was there. */
    public static boolean killGroup(long pgid, int signal) {
        if (pgid <= 1) throw new IllegalArgumentException("refusing to signal process group " + pgid);
        return LibC.INSTANCE.kill((int) -pgid, signal) == 0;
    }
}
