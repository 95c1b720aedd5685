package org.mandosjava.zeroconf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A long-running process started by a test: stdout and stderr go to files, and {@link #close} stops it
 * by its PID (SIGTERM, then SIGKILL after a grace period).
 */
final class Daemon implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private Daemon(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Daemon start(String name, Path logDir, Map<String, String> environment, List<String> command)
            throws IOException {
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        return new Daemon(name, builder.start(), out, err);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Waits for the process to exit by itself; its exit status, or empty on timeout. */
    java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    /** Sends SIGTERM and waits for the exit status; empty if it did not exit within the timeout. */
    java.util.OptionalInt terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Polls stderr until it matches, the process exits, or the deadline passes; whether it matched. */
    boolean awaitStderr(Pattern pattern, Duration timeout) throws InterruptedException {
        return await(() -> pattern.matcher(stderr()).find(), timeout);
    }

    boolean awaitStdout(Pattern pattern, Duration timeout) throws InterruptedException {
        return await(() -> pattern.matcher(stdout()).find(), timeout);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Polls a condition until true or the deadline; whether it became true. */
    static boolean poll(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    /** For failure messages: the tail of both outputs. */
    String describe() {
        return name + " (pid " + pid() + (process.isAlive() ? ", running" : ", exited " + process.exitValue())
                + ")\n--- stdout ---\n" + tail(stdout()) + "\n--- stderr ---\n" + tail(stderr());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        int max = 6000;
        return text.length() <= max ? text : "…" + text.substring(text.length() - max);
    }
}
