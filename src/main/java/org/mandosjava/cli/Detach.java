package org.mandosjava.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.mandosjava.platform.LibC;

/**
 * Running in the background without {@code --foreground}. A JVM cannot fork, so the checked
 * configuration is handed to a child JVM in a new session ({@code setsid}); the parent waits until
 * the child says it is listening, and exits 0 only then. Any failure before that point reaches the
 * administrator's terminal and exit status, not only syslog (the original exits 0 first, §15.3 item 19).
 */
final class Detach {
    private static final Logger LOG = Logger.getLogger(Detach.class.getName());
    static final String READY = "MANDOS-READY";
    private static final long READY_TIMEOUT_SECONDS = 60;
    static final String NO_ATTACH = "-XX:+DisableAttachMechanism";
    private static final List<Path> PID_FILES = List.of(Path.of("/run/mandos.pid"), Path.of("/var/run/mandos.pid"));

    private Detach() {}

    /** In the parent: starts the detached child and waits for it to be ready. */
    static int startChild(String[] args, PrintStream err) {
        List<String> command = childCommand(ProcessHandle.current().info().command().orElse("java"),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), args);
        Process child;
        try {
            child = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            err.println("mandos: error: cannot start the background server: " + e.getMessage());
            return ServerMain.EXIT_FAILURE;
        }
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals(READY)) return true;
                }
            } catch (IOException e) {
                // Treated as not ready.
            }
            return false;
        });
        try {
            if (ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) return ServerMain.EXIT_OK;
            int status = child.waitFor(10, TimeUnit.SECONDS) ? child.exitValue() : ServerMain.EXIT_FAILURE;
            err.println("mandos: error: the server did not start (exit status " + status + "); see the log");
            return status == 0 ? ServerMain.EXIT_FAILURE : status;
        } catch (TimeoutException e) {
            err.println("mandos: error: the server did not report ready within " + READY_TIMEOUT_SECONDS
                    + " s; it is left running as PID " + child.pid());
            return ServerMain.EXIT_FAILURE;
        } catch (InterruptedException | ExecutionException e) {
            return ServerMain.EXIT_FAILURE;
        }
    }

    /** The detached child's command: this JVM's options, and never attachable (it holds the secrets). */
    static List<String> childCommand(String javaBinary, List<String> jvmOptions, String classPath, String[] args) {
        List<String> command = new ArrayList<>(List.of("setsid", javaBinary));
        command.addAll(jvmOptions);
        // Last, so that it wins over an earlier -XX:-DisableAttachMechanism.
        command.add(NO_ATTACH);
        command.addAll(List.of("-cp", classPath, "org.mandosjava.Launcher", "mandos"));
        command.addAll(List.of(args));
        command.add("--detached-child");
        return command;
    }

    /** In the child, once listening: tell the parent, then let go of its terminal. */
    static void signalReady() {
        System.out.println(READY);
        System.out.flush();
        int devNull = LibC.open("/dev/null", LibC.O_RDWR);
        if (devNull >= 0) {
            LibC.dup2(devNull, 1);
            LibC.dup2(devNull, 2);
        }
        LibC.chdir("/");
    }

    /** In the child, before dropping privileges (the directory is root's). */
    static Path writePidFile() {
        for (Path file : PID_FILES) {
            if (!Files.isDirectory(file.getParent())) continue;
            try {
                Files.writeString(file, ProcessHandle.current().pid() + "\n");
                return file;
            } catch (IOException e) {
                LOG.warning("Cannot write PID file " + file + ": " + e.getMessage());
                return null;
            }
        }
        return null;
    }

    static void removePidFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Without root we may not delete in /run; the original never removes it at all.
            LOG.fine("Cannot remove PID file " + file + ": " + e.getMessage());
        }
    }
}
