package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A terminal program run in a tmux server of the test's own (its own socket name, so nobody else's
 * sessions are touched), with a fixed window size, keys sent and the screen read back.
 */
public final class Tmux implements AutoCloseable {
    private static final Path PROGRAM = Path.of("/usr/bin/tmux");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final String SESSION = "test";

    private final String socketName;

    private Tmux(String socketName) {
        this.socketName = socketName;
    }

    /** Starts {@code command} (run by the shell) in a detached 200×50 session with {@code environment}. */
    public static Tmux start(String command, Map<String, String> environment) throws IOException, InterruptedException {
        Peers.require(PROGRAM, "tmux");
        Tmux tmux = new Tmux("mandos-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        StringBuilder env = new StringBuilder("env TERM=xterm");
        environment.forEach((k, v) -> env.append(' ').append(k).append("='").append(v.replace("'", "'\\''")).append('\''));
        tmux.run("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", env + " " + command).assertSuccess();
        return tmux;
    }

    /** The visible screen, as text. */
    public String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-t", SESSION).assertSuccess().stdoutText();
    }

    /** Waits until the screen satisfies {@code condition}; returns that screen. */
    public String awaitScreen(Predicate<String> condition, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = screen();
            if (condition.test(screen)) return screen;
            Thread.sleep(100); // polling, bounded by the deadline
        }
        throw new AssertionError("timed out waiting for " + what + "; screen:\n" + screen);
    }

    public void sendKeys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new)).assertSuccess();
    }

    private CommandResult run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString(), "-L", socketName));
        command.addAll(List.of(args));
        return CommandResult.run(command, COMMAND_TIMEOUT, Map.of());
    }

    /** Ends our tmux server (and the program in it). */
    @Override
    public void close() {
        try {
            run("kill-server");
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
    }
}
