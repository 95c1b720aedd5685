package org.mandosjava.interop;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.mandosjava.protocol.ClientHandshake;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code mandos} command end to end: options, exit statuses, messages, detaching, signals. */
class ServerCommandIT {
    @TempDir Path tmp;

    private CommandResult run(String... args) throws Exception {
        return CommandResult.run(ServerProcess.command(List.of(args)), Duration.ofSeconds(60), java.util.Map.of());
    }

    private Path configDir(String clientsConf) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(dir.resolve("clients.conf"), clientsConf);
        return dir;
    }

    private static final String VALID_CLIENT = """
            [good]
            key_id = e912fdd27d3dbeca166c142d40a8fedbe81e066ec7639825e2bd4b388e856753
            secret = aGVsbG8=
            """;

    @Test
    void versionNamesTheCompatibleRelease() throws Exception {
        var r = run("--version");
        assertThat(r.exitStatus()).isZero();
        assertThat(r.stdoutText()).startsWith("mandos 1.8.16");
    }

    @Test
    void checkRunsRealSelfTests() throws Exception {
        var r = run("--check");
        assertThat(r.stdoutText())
                .contains("ok    the server started as the daemon: TLS handshake and secret over loopback, audit chain")
                .contains("info  TLS curve arithmetic: nettle (libhogweed.so.6)")
                .contains("info  TLS record encryption: nettle (libnettle.so.8)")
                .contains("All 4 checks passed.");
        assertThat(r.exitStatus()).isZero();
        // Its own configuration, state and audit file are gone with it.
        assertThat(r.stderr()).doesNotContain("WARNING");
    }

    /**
     * A machine without nettle (here: its libraries hidden in a mount namespace) serves on Bouncy
     * Castle's curves and the runtime's AES-GCM.
     */
    @Test
    void checkPassesWithoutNettle() throws Exception {
        Path hogweed = Path.of("/lib/x86_64-linux-gnu/libhogweed.so.6");
        Path nettle = Path.of("/lib/x86_64-linux-gnu/libnettle.so.8");
        assertThat(hogweed).exists();
        assertThat(nettle).exists();
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind /dev/null " + hogweed + " && mount --bind /dev/null " + nettle + " && exec \"$@\"",
                "sh"));
        command.addAll(ServerProcess.command(List.of("-Dmandos.check.fetches=3"), List.of("--check")));
        var r = CommandResult.run(command, Duration.ofSeconds(60), java.util.Map.of());
        assertThat(r.stdoutText())
                .contains("ok    the server started as the daemon: TLS handshake and secret over loopback, audit chain")
                .contains("info  TLS curve arithmetic: Bouncy Castle")
                .contains("info  TLS record encryption: the runtime (SunJCE)")
                .contains("All 4 checks passed.");
        assertThat(r.exitStatus()).isZero();
    }

    /**
     * The check starts the real server, but as a check: under a service manager (NOTIFY_SOCKET, a
     * journal) and beside syslog it tells systemd nothing and writes no audit record anywhere but
     * its own file. Otherwise a check would show up in the audit trail as a released secret, or
     * tell systemd that a server is ready.
     */
    @Test
    void checkTellsSystemdNothingAndAuditsOnlyToItself() throws Exception {
        var r = checkUnderAServiceManager(List.of("-Dmandos.check.fetches=3"), Duration.ofSeconds(60));
        assertThat(r.stdoutText()).contains("All 4 checks passed.");
        assertThat(r.exitStatus()).isZero();
    }

    /**
     * {@code mandos --check} with these JVM options, under a service manager (NOTIFY_SOCKET, a
     * journal) and beside syslog, each a socket of the test's; asserts that none of them heard
     * anything.
     */
    private CommandResult checkUnderAServiceManager(List<String> jvmOptions, Duration limit) throws Exception {
        try (var notify = org.mandosjava.testing.DatagramReceiver.bind(tmp.resolve("notify"));
                var journal = org.mandosjava.testing.DatagramReceiver.bind(tmp.resolve("journal"));
                var syslog = org.mandosjava.testing.DatagramReceiver.bind(tmp.resolve("syslog"))) {
            var env = java.util.Map.of("NOTIFY_SOCKET", notify.path().toString(), "INVOCATION_ID", "check-test",
                    "MANDOS_JOURNAL_SOCKET", journal.path().toString(),
                    "MANDOS_SYSLOG_SOCKET", syslog.path().toString());
            var r = CommandResult.run(ServerProcess.command(jvmOptions, List.of("--check")), limit, env);
            assertThat(notify.receiveText(Duration.ofMillis(200))).as(r.describe()).isNull();
            assertThat(journal.receiveText(Duration.ofMillis(200))).as(r.describe()).isNull();
            assertThat(syslog.receiveText(Duration.ofMillis(200))).as(r.describe()).isNull();
            return r;
        }
    }

    /**
     * The package's AOT cache is trained on the daemon itself, in a JVM of its own that starts (and
     * drops its privileges) as the real one does: the cache lands as a new file readable by all,
     * nothing of the training is left beside it, systemd and the system's logs hear nothing of it,
     * and a JVM started with the cache loads the server's classes from it.
     */
    @Test
    void checkTrainsTheAotCacheOnTheDaemon() throws Exception {
        // The daemon, once it runs as its own account, works in a directory beside the cache.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        Path cache = dir.resolve("server.aot");
        var r = checkUnderAServiceManager(List.of("-Dmandos.check.aot-cache=" + cache, "-Dmandos.check.fetches=3"),
                Duration.ofSeconds(180));
        assertThat(r.stdoutText()).as(r.describe()).contains(
                "ok    the server started as the daemon: TLS handshake and secret over loopback, audit chain",
                "All 4 checks passed.");
        assertThat(r.exitStatus()).isZero();
        assertThat(cache).isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(1 << 20);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rw-r--r--");
        assertThat(Files.getOwner(cache).getName()).isEqualTo(System.getProperty("user.name"));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(cache);
        }
        var used = CommandResult.run(ServerProcess.command(List.of("-XX:AOTCache=" + cache, "-Xlog:class+load=info"),
                List.of("--version")), Duration.ofSeconds(60), java.util.Map.of());
        assertThat(used.exitStatus()).isZero();
        assertThat(used.stdoutText()).contains("org.mandosjava.cli.ServerMain source: shared objects file");
    }

    /**
     * A check killed outright while it trains (an install killed mid-postinst) leaves no daemon
     * running: the daemon's lifeline, a pipe from the check, closes, and it stops.
     */
    @Test
    void aCheckKilledWhileTrainingLeavesNoDaemon() throws Exception {
        checkEndedWhileTraining(true);
    }

    /**
     * A check ended by a signal while it trains (an administrator's Ctrl-C) stops the daemon and
     * removes its directory: nothing is left beside where the cache would have gone.
     */
    @Test
    void aCheckStoppedWhileTrainingLeavesNothing() throws Exception {
        Path dir = checkEndedWhileTraining(false);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    /**
     * A check ended by a signal while its in-process server serves (an administrator's Ctrl-C during
     * {@code mandos-java --check}) leaves none of its directories, with their generated
     * configuration, in the temporary directory.
     */
    @Test
    void aCheckStoppedWhileServingLeavesNoDirectory() throws Exception {
        Path checkTmp = checkTmp();
        List<String> command = ServerProcess.command(List.of("-Dmandos.check.fetches=100000000",
                "-Djava.io.tmpdir=" + checkTmp), List.of("--check"));
        Process check = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("check.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!fetching(checkTmp)) {
                assertThat(check.isAlive()).as("the check ended before it served").isTrue();
                assertThat(System.nanoTime() - deadline).as("the check did not serve within 90 s").isNegative();
                Thread.sleep(100);
            }
            check.destroy();
            assertThat(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            check.destroyForcibly();
        }
        try (Stream<Path> left = Files.list(checkTmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("mandos-check"));
        }
    }

    /** Whether a check's directory in {@code checkTmp} has an audit file with a release in it. */
    private static boolean fetching(Path checkTmp) throws IOException {
        try (Stream<Path> dirs = Files.list(checkTmp)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("mandos-check")).toList()) {
                Path audit = d.resolve("audit.jsonl");
                try {
                    if (Files.readString(audit).contains("secret_released")) return true;
                } catch (IOException notYet) {
                    // not there yet, or its directory just went (the clients.conf part)
                }
            }
        }
        return false;
    }

    /** The check's java.io.tmpdir, where it makes its directories (open to the server's user too). */
    private Path checkTmp() throws IOException {
        Path dir = tmp.resolve("check-tmp");
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return dir;
    }

    /** Starts a training check that would fetch for hours, ends it once its daemon serves, returns the cache's directory. */
    private Path checkEndedWhileTraining(boolean kill) throws Exception {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        // Its temporary directory too in this test's: a check killed outright cannot remove its own.
        List<String> command = ServerProcess.command(List.of("-Dmandos.check.aot-cache=" + dir.resolve("server.aot"),
                "-Dmandos.check.fetches=100000000", "-Djava.io.tmpdir=" + checkTmp()), List.of("--check"));
        Process check = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("check.log").toFile()).start();
        ProcessHandle daemon = null;
        try {
            daemon = servingTrainingDaemon(check, dir, Duration.ofSeconds(90));
            if (kill) check.destroyForcibly();
            else check.destroy();
            assertThat(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.onExit()).as(Files.readString(tmp.resolve("check.log")))
                    .succeedsWithin(Duration.ofSeconds(60));
            return dir;
        } finally {
            check.destroyForcibly();
            if (daemon != null) daemon.destroyForcibly();
        }
    }

    /** The check's daemon (the JVM recording the cache) once its audit file shows it has served. */
    private static ProcessHandle servingTrainingDaemon(Process check, Path dir, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            assertThat(check.isAlive()).as("the check ended before its daemon served").isTrue();
            Optional<ProcessHandle> daemon = check.descendants().filter(p -> p.info().arguments()
                    .map(a -> Stream.of(a).anyMatch(s -> s.startsWith("-XX:AOTCacheOutput="))).orElse(false))
                    .findFirst();
            if (daemon.isPresent() && served(dir)) return daemon.get();
            Thread.sleep(100);
        }
        throw new AssertionError("no training daemon served within " + limit.toSeconds() + " s");
    }

    private static boolean served(Path dir) throws IOException {
        try (Stream<Path> works = Files.list(dir)) {
            return works.filter(p -> p.getFileName().toString().startsWith(".training-"))
                    .map(p -> p.resolve("audit.jsonl")).anyMatch(a -> {
                        try {
                            return Files.size(a) > 0;
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
        }
    }

    @Test
    void noZeroconfNeedsAPort() throws Exception {
        var r = run("--configdir", configDir(VALID_CLIENT).toString(), "--no-zeroconf", "--foreground");
        assertThat(r.exitStatus()).isEqualTo(2);
        assertThat(r.stderr()).contains("Needs port or socket to work without Zeroconf");
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        var r = run("--frobnicate");
        assertThat(r.exitStatus()).isEqualTo(2);
        assertThat(r.stderr()).contains("--frobnicate");
    }

    @Test
    void badDebugLevelIsAUsageError() throws Exception {
        var r = run("--configdir", configDir(VALID_CLIENT).toString(), "--debuglevel", "LOUD", "--foreground",
                "--no-zeroconf", "--port", "1");
        assertThat(r.exitStatus()).isEqualTo(2);
        assertThat(r.stderr()).contains("LOUD");
    }

    @Test
    void configMistakeNamesFileLineAndKeyAndNothingListens() throws Exception {
        Path dir = configDir(VALID_CLIENT + "\n[bad]\nkey_id = 00\nsecret = aGVsbG8=\ntimeout = 5 minutes\n");
        int port = ServerProcess.freePort();
        // Without --foreground: the mistake must still reach the terminal, before any detaching.
        var r = run("--configdir", dir.toString(), "--no-zeroconf", "--port", Integer.toString(port));
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).contains(dir.resolve("clients.conf") + ":8: timeout:");
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void itServesOnASocketInheritedByFileDescriptor() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake client = new ClientHandshake(key.getPublic(), key.getPrivate());
        Path dir = configDir("[inherited]\nkey_id = " + client.keyId() + "\nsecret = aGVsbG8=\nchecker = true\n");
        int port = ServerProcess.freePort();
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // A supervisor's part, played by Python: bind and listen, then exec the server with the fd.
        List<String> server = ServerProcess.command(List.of("--configdir", dir.toString(), "--foreground",
                "--no-zeroconf", "--no-dbus", "--statedir", tmp.resolve("state").toString(), "--socket", "FD"));
        String program = "import os, socket, sys\n"
                + "s = socket.socket(socket.AF_INET6)\n"
                + "s.bind(('::1', " + port + "))\n"
                + "s.listen(16)\n"
                + "os.set_inheritable(s.fileno(), True)\n"
                + "argv = [a if a != 'FD' else str(s.fileno()) for a in sys.argv[1:]]\n"
                + "os.execv(argv[0], argv)\n";
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", program));
        command.addAll(server);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            byte[] got = null;
            while (got == null) {
                try (Socket s = new Socket(InetAddress.getByName("::1"), port)) {
                    s.setSoTimeout(10_000);
                    got = client.fetch(s);
                } catch (IOException notYet) {
                    assertThat(System.nanoTime()).as("server up on the inherited socket").isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
            assertThat(new String(got, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello");
        } finally {
            p.destroy();
            p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aCheckerThatCannotBeFormattedIsThatClientsErrorAndTheServerServesTheOthers() throws Exception {
        // As the Python server: a link-local host's %eth0 (a lone %) or an unknown %(name)s is an
        // error logged for that client, not a reason to refuse to start.
        Path dir = configDir(VALID_CLIENT + "checker = fping -q -- %%(hots)s\n"
                + "[linklocal]\nkey_id = 00\nsecret = aGVsbG8=\nhost = fe80::1%%eth0\n"
                + "checker = fping -q -- %(host)s\n"
                + "[fine]\nkey_id = 01\nsecret = aGVsbG8=\nchecker = true\n");
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.start(ServerProcess.args(dir, tmp.resolve("state"), "::1", port))) {
            assertThat(server.log()).anyMatch(l -> l.contains(dir.resolve("clients.conf")
                    + ":1: checker: unknown attribute %(hots)s") && l.contains("client [good]"));
            assertThat(server.log()).anyMatch(l -> l.contains(dir.resolve("clients.conf") + ":5: checker: a lone '%'")
                    && l.contains("client [linklocal]"));
            new Socket(InetAddress.getByName("::1"), port).close(); // it serves
        }
    }

    @Test
    void unusablePriorityIsAnErrorNamingTheToken() throws Exception {
        var r = run("--configdir", configDir(VALID_CLIENT).toString(), "--foreground", "--no-zeroconf",
                "--port", "1", "--priority", "SECURE256:!CTYPE-X.509:+CTYPE-OPENPGP");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).contains("priority").contains("OPENPGP");
    }

    @Test
    void withoutForegroundItDetachesOnceListeningAndStopsOnSigterm() throws Exception {
        Path dir = configDir(VALID_CLIENT);
        int port = ServerProcess.freePort();
        var r = run("--configdir", dir.toString(), "--no-zeroconf", "--no-dbus", "--address", "::1",
                "--port", Integer.toString(port), "--statedir", tmp.toString());
        assertThat(r.exitStatus()).as("parent exit status; stderr: " + r.stderr()).isZero();
        ProcessHandle daemon = findServer(dir).orElseThrow(() -> new AssertionError("no detached server"));
        try {
            assertThat(daemon.parent().map(ProcessHandle::pid)).as("re-parented, not our child")
                    .isNotEqualTo(Optional.of(ProcessHandle.current().pid()));
            new Socket(InetAddress.getByName("::1"), port).close(); // it is listening
        } finally {
            daemon.destroy();
            daemon.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondServerOnTheSameStateDirectoryStopsAtStartupNamingTheFirst() throws Exception {
        Path dir = configDir(VALID_CLIENT);
        Path state = tmp.resolve("state");
        int port = ServerProcess.freePort();
        try (ServerProcess first = ServerProcess.start(ServerProcess.args(dir, state, "::1", port))) {
            var second = run(ServerProcess.args(dir, state, "::1", ServerProcess.freePort()).toArray(String[]::new));
            assertThat(second.exitStatus()).isEqualTo(1);
            assertThat(second.stderr()).contains(state + " is in use by another Mandos server (PID " + first.pid() + ")");
            new Socket(InetAddress.getByName("::1"), port).close(); // the first one serves on
        }
    }

    @Test
    void asRootItDropsPrivilegesBeforeServing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) || "true".equals(System.getenv("CI")),
                "needs root");
        assertThat("root".equals(System.getProperty("user.name"))).as("CI runs as root").isTrue();
        Path dir = configDir(VALID_CLIENT);
        try (ServerProcess server = ServerProcess.start(ServerProcess.args(dir, tmp, "::1", ServerProcess.freePort()))) {
            List<String> status = Files.readAllLines(Path.of("/proc/" + server.pid() + "/status"));
            String uid = field(status, "Uid:");
            String gid = field(status, "Gid:");
            assertThat(uid.split("\\s+")).as("real, effective, saved, fs uid").doesNotContain("0");
            assertThat(gid.split("\\s+")).as("real, effective, saved, fs gid").doesNotContain("0");
            String groups = field(status, "Groups:").trim();
            String primary = gid.split("\\s+")[0];
            assertThat(groups.isEmpty() ? new String[0] : groups.split("\\s+"))
                    .as("supplementary groups cleared").allMatch(primary::equals);
        }
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name)).findFirst().orElseThrow().substring(name.length())
                .trim();
    }

    /** The detached server is found by its unique --configdir on its command line. */
    private static Optional<ProcessHandle> findServer(Path configDir) throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                try {
                    String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
                    if (cmdline.contains(configDir.toString()) && cmdline.contains("--detached-child")) found.add(p);
                } catch (IOException e) {
                    // Gone or not ours to read.
                }
            });
        }
        return found.stream().findFirst();
    }
}
