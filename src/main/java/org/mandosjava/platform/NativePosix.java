package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.util.Arrays;

/** {@link Posix} through glibc. */
final class NativePosix implements Posix {
    static final NativePosix INSTANCE = new NativePosix();

    /** Linux's NGROUPS_MAX. */
    private static final int MAX_GROUPS = 65536;

    private NativePosix() {}

    @Override
    public int getuid() {
        return LibC.getuid();
    }

    @Override
    public int geteuid() {
        return LibC.geteuid();
    }

    @Override
    public int getgid() {
        return LibC.getgid();
    }

    @Override
    public int getegid() {
        return LibC.getegid();
    }

    @Override
    public int[] getgroups() throws PosixException {
        try {
            int[] list = new int[MAX_GROUPS];
            int n = LibC.getgroups(list.length, list);
            return Arrays.copyOf(list, n);
        } catch (LastErrorException e) {
            throw failure("getgroups()", e);
        }
    }

    @Override
    public void setgroups(int[] gids) throws PosixException {
        try {
            LibC.setgroups(new NativeLong(gids.length), gids.length == 0 ? null : gids);
        } catch (LastErrorException e) {
            throw failure("setgroups(" + Arrays.toString(gids) + ")", e);
        }
    }

    @Override
    public void setgid(int gid) throws PosixException {
        try {
            LibC.setgid(gid);
        } catch (LastErrorException e) {
            throw failure("setgid(" + Integer.toUnsignedString(gid) + ")", e);
        }
    }

    @Override
    public void setuid(int uid) throws PosixException {
        try {
            LibC.setuid(uid);
        } catch (LastErrorException e) {
            throw failure("setuid(" + Integer.toUnsignedString(uid) + ")", e);
        }
    }

    static PosixException failure(String call, LastErrorException e) {
        return new PosixException(call, e.getErrorCode(), describe(e));
    }

    /** JNA's message is "[errno] text"; keep the text. */
    private static String describe(LastErrorException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf("] ");
        return message.startsWith("[") && end > 0 ? message.substring(end + 2) : message;
    }
}
