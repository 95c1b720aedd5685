package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

/**
 * The Linux capability sets of the calling thread ({@code capget}/{@code capset} with pid 0) and
 * its keep-capabilities flag. Both are per thread: nothing here touches the process's other threads.
 * The native buffers are allocated when this is created, so that calls allocate no JNA memory
 * (whose first allocation may start JNA's cleaner thread, which would inherit the caller's
 * capabilities); an instance belongs to one thread.
 */
final class ThreadCapabilities {
    /** Bypasses file read permission and directory read and search permission checks. */
    static final int CAP_DAC_READ_SEARCH = 2;

    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int PR_SET_KEEPCAPS = 8;

    /** Effective, permitted and inheritable masks of one thread (capabilities 0 to 63). */
    record Sets(long effective, long permitted, long inheritable) {
        static Sets only(int capability, boolean effective) {
            long bit = 1L << capability;
            return new Sets(effective ? bit : 0, bit, 0);
        }
    }

    private final Memory header = new Memory(8);
    private final Memory data = new Memory(24);

    ThreadCapabilities() {
        header.setInt(0, LINUX_CAPABILITY_VERSION_3);
        header.setInt(4, 0); // the calling thread
    }

    Sets get() throws PosixException {
        data.clear();
        try {
            LibC.capget(header, data);
        } catch (LastErrorException e) {
            throw NativePosix.failure("capget()", e);
        }
        return new Sets(combine(data.getInt(0), data.getInt(12)), combine(data.getInt(4), data.getInt(16)),
                combine(data.getInt(8), data.getInt(20)));
    }

    void set(Sets sets) throws PosixException {
        data.setInt(0, (int) sets.effective());
        data.setInt(4, (int) sets.permitted());
        data.setInt(8, (int) sets.inheritable());
        data.setInt(12, (int) (sets.effective() >>> 32));
        data.setInt(16, (int) (sets.permitted() >>> 32));
        data.setInt(20, (int) (sets.inheritable() >>> 32));
        try {
            LibC.capset(header, data);
        } catch (LastErrorException e) {
            throw NativePosix.failure("capset(" + sets + ")", e);
        }
    }

    /** Whether this thread keeps its permitted set when its uids all become non-zero. */
    static void keepAcrossSetuid(boolean keep) throws PosixException {
        try {
            LibC.prctl(PR_SET_KEEPCAPS, new NativeLong(keep ? 1 : 0), new NativeLong(0), new NativeLong(0),
                    new NativeLong(0));
        } catch (LastErrorException e) {
            throw NativePosix.failure("prctl(PR_SET_KEEPCAPS)", e);
        }
    }

    private static long combine(int low, int high) {
        return (low & 0xFFFFFFFFL) | ((long) high << 32);
    }
}
