package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.TestDirs;

/**
 * The packaged server started as root, as deployed (bin/server-jvm-options), dropping to its
 * unprivileged user for real: it still reloads a root-only clients.conf on SIGHUP, only its reader
 * thread keeps a capability, and a process of its user can neither attach to it nor read its memory.
 * Needs root (CI runs as root and must not skip).
 */
class PrivilegeSeparationIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String READER_THREAD = "privileged-reader";
    /** CAP_DAC_READ_SEARCH alone, as /proc shows a capability mask. */
    private static final String DAC_READ_SEARCH = "0000000000000004";
    private static final String NONE = "0000000000000000";

    @TempDir Path tmp;
    ServerProcess server;
    long uid;
    long gid;

    @BeforeEach
    void needsRoot() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(Privileges.isRoot()).as("CI runs the tests as root").isTrue();
        } else {
            assumeThat(Privileges.isRoot()).as("needs root").isTrue();
        }
        long[] account = PrivilegesIT.expectedAccount();
        uid = account[0];
        gid = account[1];
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void sighupAppliesARootOnlyClientsConfAndSecfileAfterTheDrop() throws Exception {
        ClientHandshake alpha = newClient();
        ClientHandshake beta = newClient();
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwx------"));
        Path file = conf.resolve("clients.conf");
        Path betaSecret = rootOnly(conf.resolve("beta.secret"), "two");
        rootOnly(file, "[alpha]\nkey_id = " + alpha.keyId() + "\nsecret = b25l\nchecker = true\n");
        int port = ServerProcess.freePort();
        server = ServerProcess.start(ServerProcess.deployedJvmOptions(conf),
                ServerProcess.args(conf, Files.createDirectories(tmp.resolve("state")), "::1", port));
        assertThat(new String(fetch(alpha, port), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(fetch(beta, port)).isEmpty();

        // alpha disabled by an edit, beta added with a root-only secfile.
        rootOnly(file, "[alpha]\nkey_id = " + alpha.keyId() + "\nsecret = b25l\nchecker = true\nenabled = false\n"
                + "[beta]\nkey_id = " + beta.keyId() + "\nsecfile = " + betaSecret + "\nchecker = true\n");
        CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(server.pid()));
        server.awaitLog(l -> l.contains("Reloaded") && l.contains("2 clients"), TIMEOUT);

        assertThat(fetch(alpha, port)).as("alpha disabled; log:\n%s", String.join("\n", server.log())).isEmpty();
        assertThat(new String(fetch(beta, port), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(server.log()).noneMatch(l -> l.contains("Not reloaded"));

        // A reload that cannot read a secfile says so and keeps the clients.
        Files.delete(betaSecret);
        CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(server.pid()));
        String error = server.awaitLog(l -> l.contains("Not reloaded"), TIMEOUT);
        assertThat(error).contains("ERROR").contains("beta.secret").contains("No such file or directory");
        assertThat(new String(fetch(beta, port), StandardCharsets.UTF_8)).isEqualTo("two");

        // A FIFO in its place is refused rather than read (which would block every later reload).
        CommandResult.runSuccessfully(TIMEOUT, "mkfifo", betaSecret.toString());
        CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(server.pid()));
        assertThat(server.awaitLog(l -> l.contains("Not reloaded") && l.contains("not a regular file"), TIMEOUT))
                .contains("beta.secret");
        Files.delete(betaSecret);
        rootOnly(betaSecret, "deux");
        CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(server.pid()));
        assertThat(Poll.until(() -> server.log().stream().filter(l -> l.contains("Reloaded")).count() == 2, TIMEOUT))
                .as("log:\n%s", String.join("\n", server.log())).isTrue();
        assertThat(new String(fetch(beta, port), StandardCharsets.UTF_8)).isEqualTo("deux");
    }

    @Test
    void onlyTheReaderThreadKeepsACapabilityAndOnlyInItsPermittedSet() throws Exception {
        // The checker writes down its own capabilities where the server's user may write.
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path checkerCaps = out.resolve("checker-status");
        startSimpleServer("grep -E ^Cap /proc/self/status > " + checkerCaps + ".tmp && mv " + checkerCaps + ".tmp "
                + checkerCaps);
        // A reload first: raising and lowering the capability must leave the same picture.
        CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(server.pid()));
        server.awaitLog(l -> l.contains("Reloaded"), TIMEOUT);

        Map<String, Map<String, String>> threads = threads(server.pid());
        assertThat(threads).hasSizeGreaterThan(5);
        List<String> readers = threads.keySet().stream().filter(k -> k.endsWith(" " + READER_THREAD.substring(0, 15)))
                .toList();
        assertThat(readers).as("reader threads among %s", threads.keySet()).hasSize(1);
        threads.forEach((thread, status) -> {
            boolean reader = readers.contains(thread);
            assertThat(status.get("CapPrm")).as(thread + " permitted").isEqualTo(reader ? DAC_READ_SEARCH : NONE);
            assertThat(status.get("CapEff")).as(thread + " effective").isEqualTo(NONE);
            assertThat(status.get("CapInh")).as(thread + " inheritable").isEqualTo(NONE);
            assertThat(status.get("CapAmb")).as(thread + " ambient").isEqualTo(NONE);
            assertThat(status.get("Uid")).as(thread + " uids").isEqualTo(String.join("\t", List.of(
                    Long.toString(uid), Long.toString(uid), Long.toString(uid), Long.toString(uid))));
        });

        assertThat(Poll.until(() -> Files.exists(checkerCaps), TIMEOUT)).as("the checker ran; log:\n%s",
                String.join("\n", server.log())).isTrue();
        List<String> checker = Files.readAllLines(checkerCaps);
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapAmb")) {
            assertThat(checker).as("checker's capabilities").contains(set + ":\t" + NONE);
        }
    }

    @Test
    void aProcessOfTheServersUserCannotAttachOrReadItsMemory() throws Exception {
        startSimpleServer();
        long pid = server.pid();
        // After a reload too: the reader's capability changes must not make the process dumpable again.
        CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(pid));
        server.awaitLog(l -> l.contains("Reloaded"), TIMEOUT);

        CommandResult mem = asServerUser("sh", "-c", "exec 3< /proc/" + pid + "/mem && echo opened");
        assertThat(mem.exitStatus()).as(mem.describe()).isNotZero();
        assertThat(mem.stderr()).contains("Permission denied");

        String jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd").toString();
        CommandResult attach = asServerUser(jcmd, Long.toString(pid), "VM.version");
        assertThat(attach.exitStatus()).as(attach.describe()).isNotZero();
        assertThat(attach.stdoutText()).doesNotContain("JDK");
        assertThat(server.log()).noneMatch(l -> l.contains("DisableAttachMechanism"));

        // The same probe against an ordinary process of that user succeeds: it can fail.
        CommandResult control = asServerUser("sh", "-c", "sleep 30 & exec 3< /proc/$!/mem && echo opened; kill $!");
        assertThat(control.stdoutText()).as(control.describe()).contains("opened");
    }

    @Test
    void withoutCapDacReadSearchInTheBoundingSetItStartsKeepingNoCapabilityAndSaysSo() throws Exception {
        ClientHandshake alpha = newClient();
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        rootOnly(conf.resolve("clients.conf"), "[alpha]\nkey_id = " + alpha.keyId() + "\nsecret = b25l\nchecker = true\n");
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=-dac_read_search"));
        command.addAll(ServerProcess.command(ServerProcess.deployedJvmOptions(conf), ServerProcess.args(conf,
                Files.createDirectories(tmp.resolve("state")), "::1", ServerProcess.freePort())));
        Path logDir = TestDirs.shared("privsep-bounding-");
        try (ManagedProcess limited = ManagedProcess.start("mandos", command, logDir, Map.of())) {
            assertThat(limited.awaitStderr(java.util.regex.Pattern.compile("Now listening"), TIMEOUT))
                    .as(limited.describe()).isTrue();
            assertThat(limited.stderrText()).contains("CAP_DAC_READ_SEARCH is not in the bounding set");
            threads(limited.pid()).forEach((thread, status) ->
                    assertThat(status.get("CapPrm")).as(thread + " permitted").isEqualTo(NONE));
            // A reload of the root-only file fails, says so, and keeps the clients.
            CommandResult.runSuccessfully(TIMEOUT, "kill", "-HUP", Long.toString(limited.pid()));
            assertThat(limited.awaitStderr(java.util.regex.Pattern.compile("Not reloaded.*Permission denied"), TIMEOUT))
                    .as(limited.describe()).isTrue();
        } finally {
            TestDirs.deleteRecursively(logDir);
        }
    }

    @Test
    void startedAsItsUserInsteadOfRootItIsNotDumpableEither() throws Exception {
        // The kernel clears the dumpable flag on a uid change only: a server started directly as
        // its user (systemd's User=) relies on its own prctl.
        ClientHandshake alpha = newClient();
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("clients.conf"), "[alpha]\nkey_id = " + alpha.keyId()
                + "\nsecret = b25l\nchecker = true\n");
        Path state = Files.createDirectories(tmp.resolve("state"));
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        command.addAll(ServerProcess.command(ServerProcess.deployedJvmOptions(conf), ServerProcess.args(conf, state, "::1",
                ServerProcess.freePort())));
        Files.setOwner(state, state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(
                Long.toString(uid)));
        Path logDir = TestDirs.shared("privsep-user-");
        try (ManagedProcess user = ManagedProcess.start("mandos", command, logDir, Map.of())) {
            assertThat(user.awaitStderr(java.util.regex.Pattern.compile("Now listening"), TIMEOUT))
                    .as(user.describe()).isTrue();
            CommandResult mem = asServerUser("sh", "-c", "exec 3< /proc/" + user.pid() + "/mem && echo opened");
            assertThat(mem.stdoutText()).as(mem.describe()).doesNotContain("opened");
            assertThat(mem.stderr()).contains("Permission denied");
        } finally {
            TestDirs.deleteRecursively(logDir);
        }
    }

    private void startSimpleServer() throws Exception {
        startSimpleServer("true");
    }

    private void startSimpleServer(String checker) throws Exception {
        ClientHandshake alpha = newClient();
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        rootOnly(conf.resolve("clients.conf"), "[alpha]\nkey_id = " + alpha.keyId() + "\nsecret = b25l\nchecker = "
                + checker + "\ninterval = PT1S\n");
        server = ServerProcess.start(ServerProcess.deployedJvmOptions(conf),
                ServerProcess.args(conf, Files.createDirectories(tmp.resolve("state")), "::1", ServerProcess.freePort()));
    }

    private CommandResult asServerUser(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        full.addAll(List.of(command));
        return CommandResult.run(full, TIMEOUT, Map.of());
    }

    /** "TID NAME" of each thread, with the fields of its status file. */
    private static Map<String, Map<String, String>> threads(long pid) throws Exception {
        Map<String, Map<String, String>> threads = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                Map<String, String> fields = new LinkedHashMap<>();
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        int colon = line.indexOf(':');
                        if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a thread that ended meanwhile
                }
                threads.put(task.getFileName() + " " + name, fields);
            }
        }
        return threads;
    }

    private static Path rootOnly(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getOwner(file).getName()).isEqualTo("root");
        return file;
    }

    private static ClientHandshake newClient() throws Exception {
        var key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new ClientHandshake(key.getPublic(), key.getPrivate());
    }

    private static byte[] fetch(ClientHandshake client, int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("::1"), port)) {
            s.setSoTimeout(10_000);
            return client.fetch(s);
        }
    }
}
