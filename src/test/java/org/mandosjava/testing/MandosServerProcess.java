package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Mandos server (the real Python one or ours) running in the foreground on [::1] with a
 * clients.conf the test supplies, its own config and state directories, and no Zeroconf or restored
 * state; D-Bus only when started on a bus. Close it to stop it (by PID) and remove its directory.
 */
public final class MandosServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ManagedProcess process;
    private final Path dir;
    private final int port;

    private MandosServerProcess(ManagedProcess process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * The Debian {@code /usr/sbin/mandos}. It needs a system bus even with --no-dbus: pass a
     * {@link PrivateSystemBus}. As root it drops to _mandos (or nobody), so its files are world-readable.
     */
    public static MandosServerProcess startPython(String clientsConf, PrivateSystemBus bus)
            throws IOException, InterruptedException {
        Peers.require(Peers.PYTHON_SERVER, "mandos");
        return start("python-mandos", List.of(Peers.PYTHON_SERVER.toString(), "--debug"), clientsConf,
                bus.environment());
    }

    /** The Debian server with its D-Bus API on {@code bus} (which it takes as its system bus). */
    public static MandosServerProcess startPythonOnBus(String clientsConf, PrivateSystemBus bus)
            throws IOException, InterruptedException {
        Peers.require(Peers.PYTHON_SERVER, "mandos");
        return start("python-mandos", List.of(Peers.PYTHON_SERVER.toString(), "--debug"), clientsConf,
                bus.environment(), bus);
    }

    /** Our server with its D-Bus API on {@code bus}. */
    public static MandosServerProcess startOursOnBus(String clientsConf, PrivateSystemBus bus)
            throws IOException, InterruptedException {
        return start("our-mandos", ServerProcess.command(List.of("--foreground", "--debug")), clientsConf,
                bus.environment(), bus);
    }

    /** Our server with its D-Bus API on {@code bus} and these options besides. */
    public static MandosServerProcess startOursOnBus(String clientsConf, PrivateSystemBus bus, String... options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--foreground", "--debug"));
        args.addAll(List.of(options));
        return start("our-mandos", ServerProcess.command(args), clientsConf, bus.environment(), bus);
    }

    /** Our server with {@code --no-dbus}, though {@code bus} is there to be used. */
    public static MandosServerProcess startOursNotOnBus(String clientsConf, PrivateSystemBus bus)
            throws IOException, InterruptedException {
        return start("our-mandos", ServerProcess.command(List.of("--foreground", "--debug")), clientsConf,
                bus.environment(), null);
    }

    /**
     * Our server, from the packaged jar ({@code mandos.jar} system property), with the command line
     * {@link ServerProcess} uses.
     */
    public static MandosServerProcess startOurs(String clientsConf) throws IOException, InterruptedException {
        return start("our-mandos", ServerProcess.command(List.of("--foreground", "--debug")), clientsConf, Map.of());
    }

    private static MandosServerProcess start(String name, List<String> program, String clientsConf,
            Map<String, String> environment) throws IOException, InterruptedException {
        return start(name, program, clientsConf, environment, null);
    }

    private static MandosServerProcess start(String name, List<String> program, String clientsConf,
            Map<String, String> environment, PrivateSystemBus dbus) throws IOException, InterruptedException {
        Path dir = TestDirs.shared(name + "-");
        Path config = Files.createDirectory(dir.resolve("config"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path state = Files.createDirectory(dir.resolve("state"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(config.resolve("mandos.conf"), "[DEFAULT]\n");
        Files.writeString(config.resolve("clients.conf"), clientsConf);
        for (String file : List.of("mandos.conf", "clients.conf")) {
            Files.setPosixFilePermissions(config.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        int port = Ports.freePort();
        List<String> command = new ArrayList<>(program);
        if (dbus == null) command.add("--no-dbus");
        command.addAll(List.of("--no-zeroconf", "--no-restore",
                "--configdir", config.toString(), "--statedir", state.toString(),
                "--address", "::1", "--port", Integer.toString(port)));
        // The Python server makes gpg home directories in TMPDIR and leaves a gpg-agent in each;
        // with TMPDIR under our directory, close() can find and stop them.
        Path tmp = Files.createDirectory(dir.resolve("tmp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("TMPDIR", tmp.toString());
        ManagedProcess process = ManagedProcess.start(name, command, dir, env);
        MandosServerProcess server = new MandosServerProcess(process, dir, port);
        try {
            Ports.awaitListening(port, START_TIMEOUT, process::isAlive);
            if (dbus != null) dbus.awaitName("se.recompile.Mandos", START_TIMEOUT, process::isAlive);
        } catch (IllegalStateException e) {
            String diagnostics = process.diagnostics();
            server.close();
            throw new IllegalStateException(name + " did not start: " + e.getMessage() + "\n" + diagnostics, e);
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** The {@code --connect} value for clients. */
    public String connectAddress() {
        return "[::1]:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends SIGTERM and waits for the exit status; empty if it did not exit within {@code timeout}. */
    public java.util.OptionalInt terminate(Duration timeout) throws InterruptedException {
        return process.terminate(timeout);
    }

    /** Its state directory. */
    public Path stateDir() {
        return dir.resolve("state");
    }

    public String diagnostics() {
        return process.diagnostics();
    }

    @Override
    public void close() {
        try {
            process.close();
            LeftoverProcesses.stopNaming(dir); // the gpg-agents it left in our TMPDIR
        } finally {
            TestDirs.deleteRecursively(dir);
        }
    }
}
