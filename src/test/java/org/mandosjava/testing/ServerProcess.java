package org.mandosjava.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Our server as administrators run it: the packaged jar in its own JVM, so options, exit status,
 * logging and signals are tested for real. Its log (standard error) is captured line by line.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("server-log").start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) log.add(line);
            } catch (IOException e) {
                // Process ended.
            }
        });
    }

    /** The command that runs the packaged server with these arguments. */
    static List<String> command(List<String> args) {
        String jar = System.getProperty("mandos.jar", "target/mandos-java.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED",
                "-cp", jar, "org.mandosjava.Launcher", "mandos"));
        command.addAll(args);
        return command;
    }

    /** Starts the server and waits until it logs that it is listening. */
    static ServerProcess start(List<String> args) throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(new ProcessBuilder(command(args))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
        try {
            server.awaitLog(line -> line.contains("Now listening on"), Duration.ofSeconds(60));
        } catch (IOException e) {
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
    static List<String> args(Path configDir, Path stateDir, String address, int port, String... extra)
            throws IOException {
        Path parent = stateDir.toAbsolutePath().getParent();
        if (parent != null && !parent.equals(Path.of("/tmp"))) {
            java.nio.file.Files.setPosixFilePermissions(parent,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> args = new ArrayList<>(List.of("--configdir", configDir.toString(), "--foreground",
                "--debuglevel", "INFO", "--no-dbus", "--no-zeroconf", "--no-restore",
                "--statedir", stateDir.toString(), "--address", address, "--port", Integer.toString(port)));
        args.addAll(List.of(extra));
        return args;
    }

    /** A port free right now on the loopback addresses (the server binds it moments later). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> log() {
        return List.copyOf(log);
    }

    /** Waits for a log line matching {@code condition}, or fails with the log so far. */
    String awaitLog(Predicate<String> condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : log) {
                if (condition.test(line)) return line;
            }
            if (!process.isAlive() && process.waitFor(0, TimeUnit.SECONDS)) {
                Thread.sleep(100); // let the reader thread take the last lines
                for (String line : log) if (condition.test(line)) return line;
                throw new IOException("server exited with status " + process.exitValue() + "; log:\n"
                        + String.join("\n", log));
            }
            Thread.sleep(20);
        }
        throw new IOException("no such log line within " + timeout + "; log:\n" + String.join("\n", log));
    }

    /** SIGTERM, then wait; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }
}
