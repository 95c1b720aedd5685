package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Our server as administrators run it: the packaged jar in its own JVM, so options, exit status,
 * logging and signals are tested for real. Its log (standard error) is read line by line; the lines
 * stay readable after {@link #close()}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String LISTENING = "Now listening on";

    private final ManagedProcess process;
    private final Path logDir;
    private final String auditLog;
    private List<String> logAfterClose;

    /** The value after {@code option} in {@code args}, or null. */
    private static String optionValue(List<String> args, String option) {
        int at = args.indexOf(option);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
    }

    private ServerProcess(ManagedProcess process, Path logDir, String auditLog) {
        this.auditLog = auditLog;
        this.process = process;
        this.logDir = logDir;
    }

    /** The command that runs the packaged server with these arguments. */
    public static List<String> command(List<String> args) {
        return command(List.of(), args);
    }

    /** The command that runs the packaged server in a JVM with these extra options. */
    public static List<String> command(List<String> jvmOptions, List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // No perf-data file in /tmp, and no JNA warning on stderr: the log is what the tests read.
        List<String> command = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", OurTools.jar().toString(), "org.mandosjava.Launcher", "mandos"));
        command.addAll(args);
        return command;
    }

    /** The JVM options bin/mandos gives the server (bin/server-jvm-options), as deployed. */
    public static List<String> deployedJvmOptions(Path configDir) {
        return DeployedJvm.options(Path.of("").toAbsolutePath(), configDir);
    }

    /** Starts the server and waits until it logs that it is listening. */
    public static ServerProcess start(List<String> args) throws IOException, InterruptedException {
        return start(List.of(), args, Map.of());
    }

    /** As {@link #start(List)}, in a JVM with these extra options. */
    public static ServerProcess start(List<String> jvmOptions, List<String> args)
            throws IOException, InterruptedException {
        return start(jvmOptions, args, Map.of());
    }

    /** Starts the server with these environment variables added, and waits until it is listening. */
    public static ServerProcess start(List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        return start(List.of(), args, environment);
    }

    /** As {@link #start(List, List)}, with these environment variables added (a private system bus's address). */
    public static ServerProcess start(List<String> jvmOptions, List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path logDir = TestDirs.shared("our-mandos-log-");
        String configDir = optionValue(args, "--configdir");
        if (configDir != null) SecretLedger.clientsConfIn(Path.of(configDir));
        ServerProcess server = new ServerProcess(
                ManagedProcess.start("mandos", command(jvmOptions, args), logDir, environment), logDir,
                optionValue(args, "--audit-log"));
        try {
            server.awaitLog(line -> line.contains(LISTENING), START_TIMEOUT);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Standard foreground arguments for a test server on {@code port}. Run as root, the server saves
     * state as its unprivileged user: the state directory's parent (a private JUnit temp dir) is
     * opened for traversal so that user can reach it.
     */
    public static List<String> args(Path configDir, Path stateDir, String address, int port, String... extra)
            throws IOException {
        Path parent = stateDir.toAbsolutePath().getParent();
        if (parent != null && !parent.equals(Path.of("/tmp"))) {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> args = new ArrayList<>(List.of("--configdir", configDir.toString(), "--foreground",
                "--debuglevel", "INFO", "--no-dbus", "--no-zeroconf", "--no-restore",
                "--statedir", stateDir.toString(), "--address", address, "--port", Integer.toString(port)));
        args.addAll(List.of(extra));
        return args;
    }

    /** A port free right now on the loopback address (the server binds it moments later). */
    public static int freePort() throws IOException {
        return Ports.freePort();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The complete log lines so far (all of them once the server has ended). */
    public synchronized List<String> log() {
        if (logAfterClose != null) return logAfterClose;
        boolean ended = !process.isAlive();
        String text = process.stderrText();
        List<String> lines = new ArrayList<>(text.lines().toList());
        // A line still being written is not a log line yet.
        if (!ended && !text.isEmpty() && !text.endsWith("\n")) lines.removeLast();
        return List.copyOf(lines);
    }

    /** Waits for a log line matching {@code condition}, or fails with the log so far. */
    public String awaitLog(Predicate<String> condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            for (String line : log()) {
                if (condition.test(line)) return line;
            }
            if (ended) {
                throw new IOException("server exited with status " + process.awaitExit(Duration.ZERO).orElse(-1)
                        + "; log:\n" + String.join("\n", log()));
            }
            if (System.nanoTime() >= deadline) {
                throw new IOException("no such log line within " + timeout + "; log:\n" + String.join("\n", log()));
            }
            Thread.sleep(Poll.INTERVAL.toMillis());
        }
    }

    /**
     * SIGTERM, then wait (SIGKILL after a grace period); returns the exit status. The log stays
     * readable; its file is removed.
     */
    public synchronized int stop() throws InterruptedException {
        try {
            OptionalInt status = process.terminate(STOP_GRACE);
            if (status.isPresent()) return status.getAsInt();
            process.close();
            return process.awaitExit(STOP_GRACE).orElseThrow(
                    () -> new IllegalStateException("server (pid " + pid() + ") survived SIGKILL"));
        } finally {
            keepLogAndRemoveFiles();
        }
    }

    /** Stops the server if it still runs; the log stays readable. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        } else {
            keepLogAndRemoveFiles();
        }
    }

    private void keepLogAndRemoveFiles() {
        if (logAfterClose != null) return;
        process.close();
        logAfterClose = log();
        SecretLedger.ourOutput("mandos.err", logDir.resolve("mandos.err"));
        if (auditLog != null) SecretLedger.ourOutput("audit", Path.of(auditLog));
        TestDirs.deleteRecursively(logDir);
    }
}
