package org.mandosjava.platform;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.Optional;
import java.util.Set;

/**
 * {@link AccountLookup} through glibc's reentrant {@code getpwnam_r}/{@code getgrnam_r}, so NSS
 * sources (files, systemd's dynamic users, LDAP …) are honoured as by the original.
 */
public final class NativeAccountLookup implements AccountLookup {
    private static final int ERANGE = 34;
    /** errno values getpwnam_r(3) documents as meaning "no such entry" on some systems. */
    private static final Set<Integer> NOT_FOUND = Set.of(2 /* ENOENT */, 3 /* ESRCH */, 9 /* EBADF */,
            1 /* EPERM */);
    private static final int FIRST_BUFFER = 16 * 1024;
    /** Entries with huge member lists exist; beyond this something is wrong. */
    private static final int MAX_BUFFER = 16 * 1024 * 1024;

    @Override
    public Optional<UserEntry> user(String name) {
        for (int size = FIRST_BUFFER; size <= MAX_BUFFER; size *= 2) {
            Memory pwd = new Memory(LibC.Passwd.SIZE);
            Memory result = new Memory(Native.POINTER_SIZE);
            int err = LibC.getpwnam_r(name, pwd, new Memory(size), new NativeLong(size), result);
            if (err == ERANGE) continue;
            if (err != 0 && !NOT_FOUND.contains(err)) {
                throw new IllegalStateException("getpwnam_r(" + name + ") failed with errno " + err);
            }
            if (err != 0 || result.getPointer(0) == null) return Optional.empty();
            return Optional.of(new UserEntry(string(pwd, LibC.Passwd.NAME), pwd.getInt(LibC.Passwd.UID),
                    pwd.getInt(LibC.Passwd.GID), string(pwd, LibC.Passwd.DIR)));
        }
        throw new IllegalStateException("getpwnam_r(" + name + ") needs more than " + MAX_BUFFER + " bytes");
    }

    @Override
    public Optional<GroupEntry> group(String name) {
        for (int size = FIRST_BUFFER; size <= MAX_BUFFER; size *= 2) {
            Memory grp = new Memory(LibC.Group.SIZE);
            Memory result = new Memory(Native.POINTER_SIZE);
            int err = LibC.getgrnam_r(name, grp, new Memory(size), new NativeLong(size), result);
            if (err == ERANGE) continue;
            if (err != 0 && !NOT_FOUND.contains(err)) {
                throw new IllegalStateException("getgrnam_r(" + name + ") failed with errno " + err);
            }
            if (err != 0 || result.getPointer(0) == null) return Optional.empty();
            return Optional.of(new GroupEntry(string(grp, LibC.Group.NAME), grp.getInt(LibC.Group.GID)));
        }
        throw new IllegalStateException("getgrnam_r(" + name + ") needs more than " + MAX_BUFFER + " bytes");
    }

    /** The C string a pointer field at {@code offset} points to, or null for a null pointer. */
    private static String string(Pointer struct, long offset) {
        Pointer p = struct.getPointer(offset);
        return p == null ? null : p.getString(0);
    }
}
