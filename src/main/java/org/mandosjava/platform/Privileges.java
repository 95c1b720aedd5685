package org.mandosjava.platform;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Dropping root privileges once the server has read its configuration and bound its socket, and
 * before it accepts connections or starts checkers (spec §9).
 *
 * <p>The account is the first of {@code _mandos}, {@code mandos} and {@code nobody} that exists as
 * a user; its group is the group named {@code _mandos}, {@code mandos} or {@code nogroup}
 * respectively, or the user's primary group if there is no group of that name. Two defects of the
 * original are fixed (spec §15.3 item 12): it took the gid from a <em>user</em> named like the
 * group, and it kept root's supplementary groups. Here supplementary groups are cleared, then the
 * gid is set, then the uid (after setuid the process could no longer change its groups), and the
 * result is verified, including that root cannot be regained.
 *
 * <p>A JVM has many threads; Linux credentials are per thread, but glibc's set*id functions, which
 * we call, apply the change to all threads of the process. Every thread loses all its capabilities
 * with the uid change, except the one thread of a {@link PrivilegedFileReader}, which is reduced to
 * {@code CAP_DAC_READ_SEARCH} (permitted, not effective) straight after it.
 */
public final class Privileges {
    private static final Logger LOG = Logger.getLogger(Privileges.class.getName());

    /** Users tried in order, each with the group it should run under. */
    static final List<Candidate> CANDIDATES = List.of(
            new Candidate("_mandos", "_mandos"),
            new Candidate("mandos", "mandos"),
            new Candidate("nobody", "nogroup"));

    record Candidate(String user, String group) {}

    /**
     * The account to run as.
     *
     * @param groupName the group the gid was found under, or null if it is the user's primary gid
     */
    public record Account(String userName, int uid, int gid, String groupName) {}

    public enum Outcome {
        /** Was root, now runs as the chosen account. */
        DROPPED,
        /** Was not root: nothing to drop, nothing changed. */
        NOT_ROOT
    }

    /** What {@link #dropIfRoot()} did, and the identity the process runs under afterwards. */
    public record Result(Outcome outcome, String userName, int uid, int gid) {
        public String describe() {
            return switch (outcome) {
                case DROPPED -> "dropped privileges to user " + userName + " (uid " + Integer.toUnsignedString(uid)
                        + ", gid " + Integer.toUnsignedString(gid) + ")";
                case NOT_ROOT -> "not started as root; keeping uid " + Integer.toUnsignedString(uid) + ", gid "
                        + Integer.toUnsignedString(gid);
            };
        }
    }

    private Privileges() {}

    /** Whether the process runs with effective uid 0. */
    public static boolean isRoot() {
        return NativePosix.INSTANCE.geteuid() == 0;
    }

    /**
     * If running as root, switches the whole process to the unprivileged account; otherwise does
     * nothing.
     *
     * @throws PrivilegeException if running as root and no account exists or a call fails; the
     *     process may then have given up part of its privileges, so the caller should not go on
     *     relying on being root
     */
    public static Result dropIfRoot() throws PrivilegeException {
        return dropIfRoot(PrivilegedFileReader.direct());
    }

    /**
     * As {@link #dropIfRoot()}, leaving {@code reader} (started before, as root) able to read
     * root's configuration files.
     */
    public static Result dropIfRoot(PrivilegedFileReader reader) throws PrivilegeException {
        return dropIfRoot(NativePosix.INSTANCE, new NativeAccountLookup(), reader::narrow);
    }

    /** What must happen between the uid change and the check that root cannot be regained. */
    @FunctionalInterface
    interface AfterUidChange {
        void run() throws PrivilegeException;
    }

    /** The account {@link #dropIfRoot()} switches to, e.g. to chown the state directory to it first. */
    public static Account unprivilegedAccount() throws PrivilegeException {
        return chooseAccount(new NativeAccountLookup());
    }

    /** Looks a user up by name ({@code getpwnam}). */
    public static Optional<UserEntry> userFor(String name) {
        return new NativeAccountLookup().user(name);
    }

    static Account chooseAccount(AccountLookup lookup) throws PrivilegeException {
        for (Candidate candidate : CANDIDATES) {
            Optional<UserEntry> user = lookup.user(candidate.user());
            if (user.isEmpty()) continue;
            Optional<GroupEntry> group = lookup.group(candidate.group());
            Account account = group
                    .map(g -> new Account(user.get().name(), user.get().uid(), g.gid(), g.name()))
                    .orElseGet(() -> new Account(user.get().name(), user.get().uid(), user.get().gid(), null));
            if (account.uid() == 0 || account.gid() == 0) {
                throw new PrivilegeException("user " + account.userName() + " has uid or gid 0");
            }
            return account;
        }
        throw new PrivilegeException("none of the users "
                + String.join(", ", CANDIDATES.stream().map(Candidate::user).toList()) + " exists");
    }

    static Result dropIfRoot(Posix posix, AccountLookup lookup) throws PrivilegeException {
        return dropIfRoot(posix, lookup, () -> {});
    }

    static Result dropIfRoot(Posix posix, AccountLookup lookup, AfterUidChange afterUidChange)
            throws PrivilegeException {
        if (posix.geteuid() != 0) {
            return new Result(Outcome.NOT_ROOT, System.getProperty("user.name"), posix.geteuid(), posix.getegid());
        }
        Account account = chooseAccount(lookup);
        try {
            posix.setgroups(new int[0]);
            posix.setgid(account.gid());
            posix.setuid(account.uid());
        } catch (PosixException e) {
            throw new PrivilegeException("switching to user " + account.userName() + " failed: "
                    + e.getMessage(), e);
        }
        afterUidChange.run();
        verify(posix, account);
        Result result = new Result(Outcome.DROPPED, account.userName(), account.uid(), account.gid());
        LOG.info(result::describe);
        return result;
    }

    private static void verify(Posix posix, Account account) throws PrivilegeException {
        int uid = account.uid();
        int gid = account.gid();
        if (posix.getuid() != uid || posix.geteuid() != uid || posix.getgid() != gid || posix.getegid() != gid) {
            throw new PrivilegeException("after switching to user " + account.userName()
                    + " the process has uid " + posix.getuid() + ", euid " + posix.geteuid() + ", gid "
                    + posix.getgid() + ", egid " + posix.getegid());
        }
        int[] groups;
        try {
            groups = posix.getgroups();
        } catch (PosixException e) {
            throw new PrivilegeException("cannot check supplementary groups: " + e.getMessage(), e);
        }
        if (Arrays.stream(groups).anyMatch(g -> g != gid)) {
            throw new PrivilegeException("supplementary groups " + Arrays.toString(groups)
                    + " remain after switching to user " + account.userName());
        }
        boolean regainedRoot;
        try {
            posix.setuid(0);
            regainedRoot = true;
        } catch (PosixException expected) {
            regainedRoot = false;
        }
        if (regainedRoot) {
            throw new PrivilegeException("setuid(0) still succeeds after switching to user " + account.userName());
        }
    }
}
