package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

/**
 * Leaves nothing of the server's memory (client secrets) for another process of the same user: no
 * core files, and the process not dumpable, so that {@code /proc/PID/mem}, {@code ptrace} and the
 * other {@code /proc/PID} files that expose memory are root's only. The kernel resets the dumpable
 * flag when the process's credentials change, so this comes after privileges are dropped and after
 * the reader thread's capabilities are reduced.
 *
 * <p>The JVM's attach mechanism (jcmd, jmap, agents) does not go through ptrace and is not stopped
 * by this: only {@code -XX:+DisableAttachMechanism} at startup turns it off, so its absence is
 * logged as a warning.
 */
public final class ProcessHardening {
    private static final Logger LOG = Logger.getLogger(ProcessHardening.class.getName());
    private static final int PR_GET_DUMPABLE = 3;
    private static final int PR_SET_DUMPABLE = 4;
    private static final int RLIMIT_CORE = 4;

    private ProcessHardening() {}

    /**
     * Sets the core size limit to 0 (soft and hard) and the dumpable flag to 0, and checks the
     * latter; warns if the JVM can be attached to.
     */
    public static void apply() throws PosixException {
        if (!attachDisabled()) {
            LOG.warning("The JVM was started without -XX:+DisableAttachMechanism: any process of the server's "
                    + "user can attach to it (jcmd) and read client secrets");
        }
        Memory limit = new Memory(16);
        limit.setLong(0, 0);
        limit.setLong(8, 0);
        try {
            LibC.setrlimit(RLIMIT_CORE, limit);
            LibC.prctl(PR_SET_DUMPABLE, new NativeLong(0), new NativeLong(0), new NativeLong(0), new NativeLong(0));
        } catch (LastErrorException e) {
            throw NativePosix.failure("hardening the process", e);
        }
        if (dumpable()) throw new PosixException("prctl(PR_SET_DUMPABLE, 0)", 0, "the process is still dumpable");
    }

    /** Whether the JVM was started with {@code -XX:+DisableAttachMechanism} (in any way). */
    public static boolean attachDisabled() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return vm != null && Boolean.parseBoolean(vm.getVMOption("DisableAttachMechanism").getValue());
    }

    /** Whether the process may be dumped or traced by its own user. */
    public static boolean dumpable() {
        return LibC.prctl(PR_GET_DUMPABLE, new NativeLong(0), new NativeLong(0), new NativeLong(0),
                new NativeLong(0)) != 0;
    }
}
