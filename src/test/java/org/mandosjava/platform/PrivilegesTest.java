package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrivilegesTest {

    /** Users and groups from maps. */
    private record FakeLookup(Map<String, UserEntry> users, Map<String, GroupEntry> groups) implements AccountLookup {
        @Override
        public Optional<UserEntry> user(String name) {
            return Optional.ofNullable(users.get(name));
        }

        @Override
        public Optional<GroupEntry> group(String name) {
            return Optional.ofNullable(groups.get(name));
        }
    }

    /** A process's credentials following POSIX rules for root and non-root, recording the calls. */
    private static class FakePosix implements Posix {
        int uid, euid, gid, egid;
        int[] groups = {0, 4, 27};
        final List<String> calls = new ArrayList<>();
        PosixException failSetgid;
        boolean setgidIgnored;

        FakePosix(int uid) {
            this.uid = this.euid = this.gid = this.egid = uid;
        }

        @Override public int getuid() { return uid; }
        @Override public int geteuid() { return euid; }
        @Override public int getgid() { return gid; }
        @Override public int getegid() { return egid; }
        @Override public int[] getgroups() { return groups.clone(); }

        @Override
        public void setgroups(int[] gids) throws PosixException {
            calls.add("setgroups" + gids.length);
            if (euid != 0) throw new PosixException("setgroups", 1, "Operation not permitted");
            groups = gids.clone();
        }

        @Override
        public void setgid(int g) throws PosixException {
            calls.add("setgid " + g);
            if (failSetgid != null) throw failSetgid;
            if (euid != 0) throw new PosixException("setgid", 1, "Operation not permitted");
            if (!setgidIgnored) gid = egid = g;
        }

        @Override
        public void setuid(int u) throws PosixException {
            calls.add("setuid " + u);
            if (euid != 0 && u != uid) throw new PosixException("setuid", 1, "Operation not permitted");
            uid = euid = u;
        }
    }

    private static final UserEntry UNDERSCORE_MANDOS = new UserEntry("_mandos", 104, 65534, "/nonexistent");
    private static final UserEntry MANDOS = new UserEntry("mandos", 105, 120, "/var/lib/mandos");
    private static final UserEntry NOBODY = new UserEntry("nobody", 65534, 65534, "/nonexistent");

    @Test
    void prefersUnderscoreMandosWithItsGroupByGroupName() throws Exception {
        // The user's primary gid differs from the _mandos group: the group wins (the original
        // looked up a *user* named like the group and took its primary gid).
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS, "mandos", MANDOS, "nobody", NOBODY),
                Map.of("_mandos", new GroupEntry("_mandos", 111), "nogroup", new GroupEntry("nogroup", 65534)));

        assertThat(Privileges.chooseAccount(lookup))
                .isEqualTo(new Privileges.Account("_mandos", 104, 111, "_mandos"));
    }

    @Test
    void fallsBackToTheUsersPrimaryGroupWhenTheGroupIsMissing() throws Exception {
        var lookup = new FakeLookup(Map.of("mandos", MANDOS, "nobody", NOBODY), Map.of());

        assertThat(Privileges.chooseAccount(lookup)).isEqualTo(new Privileges.Account("mandos", 105, 120, null));
    }

    @Test
    void nobodyRunsUnderNogroup() throws Exception {
        var lookup = new FakeLookup(Map.of("nobody", new UserEntry("nobody", 65534, 99, "/")),
                Map.of("nobody", new GroupEntry("nobody", 98), "nogroup", new GroupEntry("nogroup", 65533)));

        assertThat(Privileges.chooseAccount(lookup)).isEqualTo(new Privileges.Account("nobody", 65534, 65533, "nogroup"));
    }

    @Test
    void noCandidateUserIsAnError() {
        var lookup = new FakeLookup(Map.of(), Map.of("_mandos", new GroupEntry("_mandos", 111)));

        assertThatThrownBy(() -> Privileges.chooseAccount(lookup))
                .isInstanceOf(PrivilegeException.class)
                .hasMessage("cannot drop privileges: none of the users _mandos, mandos, nobody exists");
    }

    @Test
    void anAccountWithUidOrGidZeroIsRefused() {
        var rootUser = new FakeLookup(Map.of("_mandos", new UserEntry("_mandos", 0, 111, "/")), Map.of());
        var rootGroup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 0)));

        assertThatThrownBy(() -> Privileges.chooseAccount(rootUser)).hasMessageContaining("uid or gid 0");
        assertThatThrownBy(() -> Privileges.chooseAccount(rootGroup)).hasMessageContaining("uid or gid 0");
    }

    @Test
    void asRootClearsGroupsThenSetsGidThenUid() throws Exception {
        var posix = new FakePosix(0);
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 111)));

        Privileges.Result result = Privileges.dropIfRoot(posix, lookup);

        assertThat(result).isEqualTo(new Privileges.Result(Privileges.Outcome.DROPPED, "_mandos", 104, 111));
        // The last setuid(0) is the check that root cannot be regained.
        assertThat(posix.calls).containsExactly("setgroups0", "setgid 111", "setuid 104", "setuid 0");
        assertThat(posix.groups).isEmpty();
        assertThat(new int[] {posix.uid, posix.euid, posix.gid, posix.egid}).containsExactly(104, 104, 111, 111);
        assertThat(result.describe()).isEqualTo("dropped privileges to user _mandos (uid 104, gid 111)");
    }

    @Test
    void theReaderThreadIsNarrowedRightAfterTheUidChangeBeforeRootIsTriedAgain() throws Exception {
        // glibc applies setuid(0) to every thread and aborts the process if the outcomes differ: a
        // thread still holding CAP_SETUID then must not exist.
        var posix = new FakePosix(0);
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 111)));

        Privileges.dropIfRoot(posix, lookup, () -> posix.calls.add("narrow"));

        assertThat(posix.calls).containsExactly("setgroups0", "setgid 111", "setuid 104", "narrow", "setuid 0");
    }

    @Test
    void aReaderThreadThatCannotBeNarrowedFailsTheDrop() {
        var posix = new FakePosix(0);
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 111)));

        assertThatThrownBy(() -> Privileges.dropIfRoot(posix, lookup, () -> {
            throw new PrivilegeException("reducing the reader thread's capabilities failed");
        })).isInstanceOf(PrivilegeException.class).hasMessageContaining("reader thread");
        assertThat(posix.calls).doesNotContain("setuid 0");
    }

    @Test
    void notRootChangesNothing() throws Exception {
        var posix = new FakePosix(1000);

        Privileges.Result result = Privileges.dropIfRoot(posix, new FakeLookup(Map.of("nobody", NOBODY), Map.of()));

        assertThat(result.outcome()).isEqualTo(Privileges.Outcome.NOT_ROOT);
        assertThat(result.uid()).isEqualTo(1000);
        assertThat(posix.calls).isEmpty();
        assertThat(result.describe()).startsWith("not started as root");
    }

    @Test
    void aFailingCallIsReportedWithTheAccountAndErrno() {
        var posix = new FakePosix(0);
        posix.failSetgid = new PosixException("setgid(111)", 1, "Operation not permitted");
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 111)));

        assertThatThrownBy(() -> Privileges.dropIfRoot(posix, lookup))
                .isInstanceOf(PrivilegeException.class)
                .hasMessage("cannot drop privileges: switching to user _mandos failed: "
                        + "setgid(111): Operation not permitted (errno 1)");
        assertThat(posix.calls).doesNotContain("setuid 104");
    }

    @Test
    void aSwitchThatDidNotTakeEffectIsDetected() {
        var posix = new FakePosix(0);
        posix.setgidIgnored = true;
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 111)));

        assertThatThrownBy(() -> Privileges.dropIfRoot(posix, lookup))
                .isInstanceOf(PrivilegeException.class)
                .hasMessageContaining("gid 0");
    }

    @Test
    void regainingRootIsDetected() {
        var posix = new FakePosix(0) {
            @Override
            public void setuid(int u) {
                calls.add("setuid " + u);
                // A broken setuid that leaves the saved uid at 0, so root can come back.
                uid = euid = u;
            }
        };
        var lookup = new FakeLookup(Map.of("_mandos", UNDERSCORE_MANDOS),
                Map.of("_mandos", new GroupEntry("_mandos", 111)));

        assertThatThrownBy(() -> Privileges.dropIfRoot(posix, lookup))
                .isInstanceOf(PrivilegeException.class)
                .hasMessageContaining("setuid(0) still succeeds");
    }

    @Test
    void nativeLookupFindsRootAndNotNonsense() {
        // Every Linux system has root:0 and a group root:0; this checks the JNA struct layout.
        assertThat(Privileges.userFor("root")).get()
                .satisfies(u -> assertThat(u.uid()).isZero())
                .satisfies(u -> assertThat(u.gid()).isZero())
                .satisfies(u -> assertThat(u.name()).isEqualTo("root"));
        assertThat(new NativeAccountLookup().group("root")).contains(new GroupEntry("root", 0));
        assertThat(Privileges.userFor("no-such-user-mandos-java")).isEmpty();
        assertThat(new NativeAccountLookup().group("no-such-group-mandos-java")).isEmpty();
    }

    @Test
    void isRootAgreesWithTheJvm() {
        // /proc/self/status is the kernel's view; "Uid:" lists real, effective, saved, fs uids.
        assertThat(Privileges.isRoot()).isEqualTo(effectiveUidFromProc() == 0);
    }

    private static long effectiveUidFromProc() {
        try {
            String uidLine = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            return Long.parseLong(uidLine.split("\\s+")[2]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
