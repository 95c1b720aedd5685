package org.mandosjava.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mandosjava.testing.LeftoverProcesses;

/** Starting and stopping the servers under test. Every process is stopped by its own PID. */
final class Servers {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    static final String PYTHON_SERVER = "/usr/sbin/mandos";
    /**
     * Where every server listens: IPv4 loopback, so that the load generator's machines can each come
     * from an address of their own in 127/8. Written as the Python server wants an IPv4 address on its
     * IPv6 socket (ours reads it as 127.0.0.1).
     */
    static final String LISTEN = "::ffff:127.0.0.1";
    /** {@link #LISTEN} as clients connect to it. */
    static final String LISTEN_V4 = "127.0.0.1";

    private Servers() {}

    /** A server process under test; closing it stops it and whatever it forked. */
    /** @param tmpDir the server's TMPDIR, which whatever it leaves running names (see {@link #start}) */
    record Running(String label, Process process, long startedNanos, InetSocketAddress address, Path tmpDir)
            implements AutoCloseable {
        long pid() {
            return process.pid();
        }

        @Override
        public void close() {
            stop(process.toHandle());
            LeftoverProcesses.stopNaming(tmpDir);
        }
    }

    /** Which server, and how to start it on a config directory. */
    interface Kind {
        String label();

        List<String> command(Path configDir, Path stateDir, int port);

        default void environment(java.util.Map<String, String> env) {}
    }

    /**
     * Our server, run exactly as bin/.launcher runs it, from the server jar on this benchmark's class
     * path; with {@code --no-dbus} as every server in the scenarios, or with its D-Bus API on the bus
     * at {@code busAddress} (the default in production).
     */
    record Ours(List<String> extraJvmOptions, List<String> extraServerOptions, String busAddress) implements Kind {
        Ours(List<String> extraJvmOptions, List<String> extraServerOptions) {
            this(extraJvmOptions, extraServerOptions, null);
        }

        Ours(List<String> extraJvmOptions) {
            this(extraJvmOptions, List.of());
        }

        /** The same server with D-Bus on, on the bus at {@code address}. */
        Ours onBus(String address) {
            return new Ours(extraJvmOptions, extraServerOptions, address);
        }

        @Override
        public String label() {
            return busAddress == null ? "ours" : "ours-dbus";
        }

        @Override
        public void environment(java.util.Map<String, String> env) {
            env.putAll(org.mandosjava.testing.DeployedJvm.ENVIRONMENT);
            if (busAddress != null) env.put("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
        }

        @Override
        public List<String> command(Path configDir, Path stateDir, int port) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(List.of("-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED"));
            cmd.addAll(launcherServerOptions(configDir));
            cmd.addAll(extraJvmOptions);
            cmd.addAll(List.of("-cp", serverJar(), "org.mandosjava.Launcher", "mandos"));
            cmd.addAll(List.of("--configdir", configDir.toString(), "--foreground"));
            if (busAddress == null) cmd.add("--no-dbus");
            cmd.addAll(List.of("--no-zeroconf", "--no-restore", "--statedir", stateDir.toString(), "--address", LISTEN,
                    "--port", Integer.toString(port), "--debuglevel", "WARNING"));
            cmd.addAll(extraServerOptions);
            return cmd;
        }
    }

    /**
     * The Debian Python server. {@code --foreground --debuglevel WARNING} rather than {@code --debug}:
     * debug mode logs every connection to the console, which is not what a production server pays.
     */
    record Python(String busAddress) implements Kind {
        @Override
        public String label() {
            return "python";
        }

        @Override
        public List<String> command(Path configDir, Path stateDir, int port) {
            return List.of(PYTHON_SERVER, "--foreground", "--debuglevel", "WARNING", "--no-dbus", "--no-zeroconf",
                    "--no-restore", "--configdir", configDir.toString(), "--statedir", stateDir.toString(),
                    "--address", LISTEN, "--port", Integer.toString(port));
        }

        @Override
        public void environment(java.util.Map<String, String> env) {
            env.put("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
        }
    }

    /**
     * The CPUs every server under test runs on ({@code taskset -c}), or null for all of them. With the
     * benchmark itself on the others, the load generator, the journal receiver and the scraper no
     * longer take the server's CPU, and a server's CPU per unlock is its own work alone.
     */
    static volatile String serverCpus;

    static Running start(Kind kind, Path configDir, Path stateDir, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(kind.command(configDir, stateDir, port));
        if (serverCpus != null) command.addAll(0, List.of("taskset", "-c", serverCpus));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        kind.environment(pb.environment());
        // The Python server's gpg runs start a gpg-agent per server start that outlives it, with a
        // home directory in TMPDIR: a TMPDIR of our own lets close() find and stop them.
        Path tmp = stateDir.resolveSibling(stateDir.getFileName() + "-tmp");
        java.nio.file.Files.createDirectories(tmp);
        java.nio.file.Files.setPosixFilePermissions(tmp,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx")); // after the drop to _mandos too
        pb.environment().put("TMPDIR", tmp.toString());
        long started = System.nanoTime();
        Process p = pb.start();
        return new Running(kind.label(), p, started, new InetSocketAddress(InetAddress.getByName(LISTEN_V4), port), tmp);
    }

    /** SIGTERM to the root, then SIGKILL to whatever of the tree is left after a grace period. */
    static void stop(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        root.destroy();
        try {
            root.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            root.destroyForcibly();
        }
        tree.addAll(root.descendants().toList());
        for (ProcessHandle p : tree) {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    /** Below the ephemeral range, where the load generator's thousands of connections never land. */
    static int freePort() throws IOException {
        return org.mandosjava.testing.Ports.freePort();
    }

    /** The heap limit and other options bin/.launcher gives the server (bin/server-jvm-options). */
    static List<String> launcherServerOptions(Path configDir) {
        String home = System.getProperty("mandos.home");
        if (home == null) throw new IllegalStateException("mandos.home is not set: run mandos-bench through bin/");
        return org.mandosjava.testing.DeployedJvm.options(Path.of(home), configDir);
    }
    /** The server's jar: the one the server's classes are loaded from (the benchmark's own jar is another). */
    static String serverJar() {
        try {
            return Path.of(org.mandosjava.Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the server's jar", e);
        }
    }
}
