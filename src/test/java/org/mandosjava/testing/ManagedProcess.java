package org.mandosjava.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A child process a test started, with stdout and stderr captured to files (no pipe can fill up
 * and stall it) and a {@link #close()} that ends it and everything it forked, by PID.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final int TAIL_CHARS = 4000;
    private static final int DESCRIBE_TAIL_CHARS = 6000;

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Scanned scanned;

    /** Which of a process's outputs {@link SecretLedger} hands to the secret scan. */
    private enum Scanned {
        BOTH,
        /** A key generator prints a secret, a client the password: their standard output is not a log. */
        STDERR,
        /**
         * The Python server is a peer, not our code: without a syslog socket (a CI container has no
         * /dev/log) its logging prints every failed record's arguments to stderr, and for a checker
         * result those are the client's attributes, secret included.
         */
        NEITHER;

        static Scanned of(List<String> command) {
            if (command.contains(Peers.PYTHON_SERVER.toString())) return NEITHER;
            if (command.stream().anyMatch(a -> a.endsWith("mandos-keygen") || a.endsWith("mandos-client"))) {
                return STDERR;
            }
            return BOTH;
        }
    }

    private ManagedProcess(String name, Process process, Path stdout, Path stderr, Scanned scanned) {
        this.name = name;
        this.scanned = scanned;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command} with output captured under {@code logDir} as NAME.out / NAME.err. */
    public static ManagedProcess start(String name, List<String> command, Path logDir,
            java.util.Map<String, String> environment) throws IOException {
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new ManagedProcess(name, builder.start(), out, err, Scanned.of(command));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; @return its exit status */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " (pid " + pid() + ") still running after " + timeout + "\n" + diagnostics());
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; its exit status, or empty if it still runs after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** Sends SIGTERM and waits for the exit status; empty if it did not exit within {@code timeout}. */
    public OptionalInt terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Polls stderr until it matches, the process exits, or {@code timeout} passes; whether it matched. */
    public boolean awaitStderr(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitOutput(() -> pattern.matcher(readOrEmpty(stderr)).find(), timeout);
    }

    /** Polls stdout until it matches, the process exits, or {@code timeout} passes; whether it matched. */
    public boolean awaitStdout(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitOutput(() -> pattern.matcher(readOrEmpty(stdout)).find(), timeout);
    }

    private boolean awaitOutput(BooleanSupplier matched, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (matched.getAsBoolean()) return true;
            // Once the process has ended its output is complete: one last look decides.
            if (!process.isAlive()) return matched.getAsBoolean();
            if (Instant.now().isAfter(deadline)) return false;
            Thread.sleep(Poll.INTERVAL.toMillis());
        }
    }

    public byte[] stdoutBytes() throws IOException {
        return Files.readAllBytes(stdout);
    }

    public String stdoutText() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        try {
            return new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /** The end of stderr, for assertion messages. */
    public String diagnostics() {
        String text = stderrText();
        String tail = text.length() > TAIL_CHARS ? "…" + text.substring(text.length() - TAIL_CHARS) : text;
        return "--- " + name + " (pid " + pid() + (process.isAlive() ? ", running" : ", exit " + process.exitValue())
                + ") stderr ---\n" + tail + "--- end of " + name + " stderr ---";
    }

    /** For assertion messages: the state and the end of both outputs. */
    public String describe() {
        return name + " (pid " + pid() + (process.isAlive() ? ", running" : ", exited " + process.exitValue())
                + ")\n--- stdout ---\n" + tail(readOrEmpty(stdout), DESCRIBE_TAIL_CHARS)
                + "\n--- stderr ---\n" + tail(readOrEmpty(stderr), DESCRIBE_TAIL_CHARS);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text, int max) {
        return text.length() <= max ? text : "…" + text.substring(text.length() - max);
    }

    /** SIGTERM to the process and its descendants, then SIGKILL after a grace period. */
    @Override
    public void close() {
        List<ProcessHandle> family = process.descendants().toList();
        process.destroy();
        family.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly();
            process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (scanned == Scanned.BOTH) SecretLedger.output(name + ".out", stdout);
        if (scanned != Scanned.NEITHER) SecretLedger.output(name + ".err", stderr);
    }
}
