package org.mandosjava.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.mandosjava.platform.Signals;

/**
 * Starts checker commands and reports how they ended. Each runs as {@code /bin/sh -c COMMAND} in a
 * session of its own (so the whole process group can be killed, unlike the original, which only
 * kills a helper and leaves the shell's children running), with cwd {@code /}, stdin
 * {@code /dev/null}, and its output logged at DEBUG. Waiting uses the JDK's process reaper; no
 * thread of ours is held per checker except a virtual one reading its output.
 */
public class CheckerRunner {
    private static final Logger LOG = Logger.getLogger(CheckerRunner.class.getName());
    /** Time between SIGTERM and SIGKILL when a checker must go. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);
    /** Output lines logged per run; a chatty checker must not flood the log. */
    static final int MAX_LOGGED_LINES = 20;

    /** How a checker ended. {@code signal} is 0 for a normal exit. */
    public record Outcome(int exitCode, int signal) {
        boolean succeeded() {
            return signal == 0 && exitCode == 0;
        }
    }

    /** Called once per run, never on the thread that started the checker, when the checker has ended. */
    @FunctionalInterface
    public interface Completion {
        void ended(Outcome outcome);
    }

    /** A running checker. */
    public interface Running {
        /** Ends it and all its children: SIGTERM to the group, SIGKILL after a grace period. */
        void kill();
    }

    /**
     * Starts {@code command}; {@code completion} is called when it ends.
     *
     * @throws IOException if no process could be started at all
     */
    public Running start(String clientName, String command, Completion completion) throws IOException {
        // setsid(1) execs in place when it is not a group leader, as a fresh child is not: the PID we
        // get is the shell's and it leads its own process group.
        Process process = new ProcessBuilder(List.of("setsid", "/bin/sh", "-c", command))
                .directory(new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        Thread.ofVirtual().name("checker-output-" + clientName).start(() -> logOutput(clientName, process));
        // Always on another thread: a checker that is already gone would otherwise report here, in the
        // caller's thread, before the caller has recorded it as running (and its end would be lost).
        process.onExit().thenAcceptAsync(p -> completion.ended(outcome(p.exitValue())),
                task -> Thread.ofVirtual().name("checker-ended-" + clientName).start(task));
        return () -> kill(process);
    }

    /**
     * The JDK reports death by signal N as exit status 128+N, as shells do; a checker that exits
     * with such a status itself is indistinguishable, and is treated the same way.
     */
    static Outcome outcome(int exitValue) {
        if (exitValue > 128 && exitValue <= 128 + 64) return new Outcome(-1, exitValue - 128);
        return new Outcome(exitValue, 0);
    }

    private static void kill(Process process) {
        long pgid = process.pid();
        if (!process.isAlive()) {
            // The shell is gone; children it left in its group may not be.
            Signals.killGroup(pgid, Signals.SIGKILL);
            return;
        }
        Signals.killGroup(pgid, Signals.SIGTERM);
        process.onExit().completeOnTimeout(null, KILL_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .thenRun(() -> Signals.killGroup(pgid, Signals.SIGKILL));
    }

    private static void logOutput(String clientName, Process process) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int lines = 0;
            for (String line; (line = r.readLine()) != null; ) {
                if (++lines <= MAX_LOGGED_LINES) {
                    String text = line;
                    LOG.fine(() -> "Checker for " + clientName + ": " + text);
                }
            }
            if (lines > MAX_LOGGED_LINES) {
                int total = lines;
                LOG.fine(() -> "Checker for " + clientName + ": " + (total - MAX_LOGGED_LINES) + " more lines");
            }
        } catch (IOException e) {
            // The pipe closed with the process.
        }
    }
}
