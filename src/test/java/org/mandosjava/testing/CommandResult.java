package org.mandosjava.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A finished command: exit status, stdout as bytes (passwords are compared byte for byte) and
 * stderr as text.
 */
public record CommandResult(List<String> command, int exitStatus, byte[] stdout, String stderr) {

    /** Runs {@code command} to completion, failing the test if it outlives {@code timeout}. */
    public static CommandResult run(List<String> command, Duration timeout, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path logs = Files.createTempDirectory("mandos-test-run-");
        try (ManagedProcess process = ManagedProcess.start(
                Path.of(command.get(0)).getFileName().toString(), command, logs, environment)) {
            int status = process.waitFor(timeout);
            return new CommandResult(List.copyOf(command), status, process.stdoutBytes(), process.stderrText());
        } finally {
            TestDirs.deleteRecursively(logs);
        }
    }

    /** Runs {@code command} with the test's environment, failing the test unless it exits 0 within {@code timeout}. */
    public static CommandResult runSuccessfully(Duration timeout, String... command)
            throws IOException, InterruptedException {
        return run(List.of(command), timeout, Map.of()).assertSuccess();
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** For assertion messages: what ran and what it said. */
    public String describe() {
        return String.join(" ", command) + "\n  exit " + exitStatus + "\n  stdout: " + stdoutText()
                + "\n  stderr: " + stderr;
    }

    public CommandResult assertSuccess() {
        if (exitStatus != 0) throw new AssertionError("command failed: " + describe());
        return this;
    }
}
