package org.mandosjava.platform;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.PointerByReference;
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

    private final LibC libc = LibC.INSTANCE;

    @Override
    public Optional<UserEntry> user(String name) {
        for (int size = FIRST_BUFFER; size <= MAX_BUFFER; size *= 2) {
            LibC.Passwd pwd = new LibC.Passwd();
            PointerByReference result = new PointerByReference();
            int err = libc.getpwnam_r(name, pwd, new Memory(size), new NativeLong(size), result);
            if (err == ERANGE) continue;
            if (err != 0 && !NOT_FOUND.contains(err)) {
                throw new IllegalStateException("getpwnam_r(" + name + ") failed with errno " + err);
            }
            if (err != 0 || result.getValue() == null) return Optional.empty();
            pwd.read();
            return Optional.of(new UserEntry(pwd.pw_name, pwd.pw_uid, pwd.pw_gid, pwd.pw_dir));
        }
        throw new IllegalStateException("getpwnam_r(" + name + ") needs more than " + MAX_BUFFER + " bytes");
    }

    @Override
    public Optional<GroupEntry> group(String name) {
        for (int size = FIRST_BUFFER; size <= MAX_BUFFER; size *= 2) {
            LibC.Group grp = new LibC.Group();
            PointerByReference result = new PointerByReference();
            int err = libc.getgrnam_r(name, grp, new Memory(size), new NativeLong(size), result);
            if (err == ERANGE) continue;
            if (err != 0 && !NOT_FOUND.contains(err)) {
                throw new IllegalStateException("getgrnam_r(" + name + ") failed with errno " + err);
            }
            if (err != 0 || result.getValue() == null) return Optional.empty();
            grp.read();
            return Optional.of(new GroupEntry(grp.gr_name, grp.gr_gid));
        }
        throw new IllegalStateException("getgrnam_r(" + name + ") needs more than " + MAX_BUFFER + " bytes");
    }
}
