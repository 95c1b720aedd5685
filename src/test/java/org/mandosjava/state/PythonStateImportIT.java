package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;

/**
 * Makes a real clients.pickle with the Debian Python server (on a private D-Bus system bus),
 * changes clients with the real mandos-ctl, stops the server with SIGTERM, and imports the file.
 */
class PythonStateImportIT {
    static final Path MANDOS = Path.of("/usr/sbin/mandos");
    static final Path MANDOS_CTL = Path.of("/usr/sbin/mandos-ctl");
    static final Path DBUS_DAEMON = Path.of("/usr/bin/dbus-daemon");
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration COMMAND = Duration.ofSeconds(30);
    static final Duration SHUTDOWN = Duration.ofSeconds(60);
    static final byte[] RUNTIME_SECRET = "runtime secret\nfrom mandos-ctl".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();
    private String busAddress;

    static void require(Path program, String debianPackage) {
        if (Files.isExecutable(program)) return;
        String message = program + " is missing: install the Debian package " + debianPackage;
        if ("true".equals(System.getenv("CI"))) fail(message);
        assumeTrue(false, message);
    }

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Process p : started.reversed()) {
            if (!p.isAlive()) continue;
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (busAddress != null) stopDescendantsOfOurBus();
    }

    /**
     * The Python server's gpg runs leave gpg-agent daemons (reparented to init, so not our
     * descendants any more); they inherited our private bus address, which identifies them.
     */
    private void stopDescendantsOfOurBus() {
        byte[] marker = ("DBUS_SYSTEM_BUS_ADDRESS=" + busAddress + "\0").getBytes(StandardCharsets.UTF_8);
        ProcessHandle.allProcesses().forEach(ph -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(ph.pid()), "environ"));
                if (contains(env, marker)) {
                    ph.destroy();
                    ph.onExit().get(10, TimeUnit.SECONDS);
                }
            } catch (Exception gone) {
                // Exited meanwhile, or not readable (not ours).
            }
        });
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    @Test
    void importsWhatTheRealPythonServerSaved() throws Exception {
        require(MANDOS, "mandos");
        require(MANDOS_CTL, "mandos");
        require(DBUS_DAEMON, "dbus-daemon");

        // The server drops root to _mandos: it must reach the directories and write the state dir.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectory(tmp.resolve("conf"));
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.writeString(conf.resolve("mandos.conf"), "[DEFAULT]\n");
        Files.copy(PythonStateImportTest.CONF, conf.resolve("clients.conf"));
        if ("root".equals(System.getProperty("user.name"))) giveToServerUser(state);
        Path secretFile = Files.write(tmp.resolve("alpha.secret"), RUNTIME_SECRET);

        startBus();
        Process server = start(new ProcessBuilder(MANDOS.toString(), "--debug", "--no-zeroconf",
                "--configdir", conf.toString(), "--statedir", state.toString(),
                "--address", "::1", "--port", Integer.toString(freePort())), "mandos");
        awaitClients("alpha", "beta", "gamma", "delta");

        ctl("-d", "beta");
        ctl("--timeout", "PT7M", "gamma");
        ctl("-s", secretFile.toString(), "alpha");
        ctl("-b", "alpha");
        ctl("-r", "delta");

        server.destroy();  // SIGTERM: the server saves its state at exit
        if (!server.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) fail("mandos did not exit after SIGTERM");
        Path pickle = state.resolve(PythonStateImport.FILE_NAME);
        assertThat(pickle).as("state written by the Python server; its log: %s", tmp.resolve("mandos.log"))
                .exists();

        List<ClientConfig> config = ClientsConf.load(conf.resolve("clients.conf"));
        Map<String, byte[]> secrets = config.stream().collect(Collectors.toMap(ClientConfig::name, ClientConfig::secret));
        StateStore.LoadedState imported = PythonStateImport.read(pickle, secrets::get);
        SavedState s = imported.state();
        assertThat(imported.warnings()).isEmpty();
        assertThat(s.clients()).containsOnlyKeys("alpha", "beta", "gamma");
        assertThat(s.configAtSave()).containsOnlyKeys("alpha", "beta", "gamma", "delta");
        assertThat(s.clients().get("beta").enabled()).isFalse();
        assertThat(s.clients().get("gamma").enabled()).isTrue();
        assertThat(s.clients().get("gamma").timeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(s.clients().get("alpha").runtimeSecret()).isEqualTo(RUNTIME_SECRET);
        assertThat(s.clients().get("alpha").lastCheckerStatus()).isZero();
        assertThat(s.clients().get("alpha").lastCheckedOk()).isBetween(Instant.now().minus(STARTUP.multipliedBy(5)),
                Instant.now());

        // The migration path: merge with the same clients.conf, then keep it in our own store.
        StateMerge.Result merged = StateMerge.merge(s, config, Instant.now());
        assertThat(merged.removedAtRuntime()).containsExactly("delta");
        Map<String, ClientSnapshot> byName = merged.clients().stream()
                .collect(Collectors.toMap(c -> c.config().name(), StateMerge.RestoredClient::state));
        assertThat(byName.get("beta").enabled()).isFalse();
        assertThat(byName.get("gamma").timeout()).isEqualTo(Duration.ofMinutes(7));
        StateStore store = StateStore.prepare(tmp.resolve("java-state"));
        store.save(s, secrets::get);
        assertThat(store.load(secrets::get).orElseThrow().state()).isEqualTo(s);
    }

    private void giveToServerUser(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        for (String[] candidate : new String[][] {{"_mandos", "_mandos"}, {"mandos", "mandos"}, {"nobody", "nogroup"}}) {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName(candidate[0]));
                GroupPrincipal group = users.lookupPrincipalByGroupName(candidate[1]);
                view.setGroup(group);
                return;
            } catch (UserPrincipalNotFoundException next) {
                // Mandos tries the same users in this order.
            }
        }
    }

    private void startBus() throws Exception {
        Path socket = tmp.resolve("bus");
        Path busConf = tmp.resolve("bus.conf");
        Files.writeString(busConf, "<busconfig><type>system</type><listen>unix:path=" + socket
                + "</listen><auth>EXTERNAL</auth><policy context=\"default\"><allow user=\"*\"/>"
                + "<allow own=\"*\"/><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                + "<allow eavesdrop=\"true\"/></policy></busconfig>");
        start(new ProcessBuilder(DBUS_DAEMON.toString(), "--config-file=" + busConf, "--nofork", "--print-address"),
                "dbus");
        busAddress = "unix:path=" + socket;
        Instant deadline = Instant.now().plusSeconds(20);
        while (!Files.exists(socket)) {
            if (Instant.now().isAfter(deadline)) fail("dbus-daemon did not create " + socket);
            Thread.sleep(50);
        }
    }

    private Process start(ProcessBuilder pb, String logName) throws IOException {
        pb.environment().put("DBUS_SYSTEM_BUS_ADDRESS", busAddress == null ? "" : busAddress);
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve(logName + ".log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Polls mandos-ctl until the server answers on D-Bus with all its clients. */
    private void awaitClients(String... names) throws Exception {
        Instant deadline = Instant.now().plus(STARTUP);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            CtlResult r = runCtl();
            last = r.output;
            if (r.exit == 0 && List.of(names).stream().allMatch(last::contains)) return;
            Thread.sleep(200);
        }
        fail("the Python server did not show its clients on D-Bus in " + STARTUP + "; last mandos-ctl output: "
                + last + "\nserver log: " + tmp.resolve("mandos.log"));
    }

    private record CtlResult(int exit, String output) {}

    private CtlResult runCtl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MANDOS_CTL.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        try {
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            if (!p.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) fail("mandos-ctl " + command + " hung");
            return new CtlResult(p.exitValue(), output.get(5, TimeUnit.SECONDS));
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void ctl(String... args) throws Exception {
        CtlResult r = runCtl(args);
        assertThat(r.exit).as("mandos-ctl %s: %s", List.of(args), r.output).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return s.getLocalPort();
        }
    }
}
