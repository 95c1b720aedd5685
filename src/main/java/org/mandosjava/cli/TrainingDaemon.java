package org.mandosjava.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mandosjava.Launcher;
import org.mandosjava.platform.PrivilegeException;
import org.mandosjava.platform.Privileges;

/**
 * The daemon in a JVM of its own that records an AOT cache for the JVMs that run it later: started
 * by this JVM's own command line (the launcher's options, so the cache matches them), as the
 * daemon starts, privilege drop, signal handlers and all; stopped by SIGTERM, on which its runtime
 * writes the cache. The check's client, which fetches from it, stays in this JVM, so that the cache
 * holds what a server loads and what its TLS path made hot, and none of the client's classes,
 * which a server would map at every start for nothing.
 *
 * <p>The daemon writes as its unprivileged account into a directory of that account's; the cache is
 * then copied, never moved, to a new file of ours: a server must not start from a file its account
 * could have changed.
 *
 * <p>The daemon outlives no check: it stops when this JVM ends, however it ends ({@link Lifeline}),
 * and a check ended by a signal kills it and removes its directory first.
 */
final class TrainingDaemon implements AutoCloseable {
    /** Options that name this JVM's own cache or check, not the daemon's. */
    private static final List<String> NOT_INHERITED = List.of("-XX:AOTCache=", "-XX:AOTCacheOutput=", "-XX:AOTMode=",
            "-XX:AOTConfiguration=", "-D" + SelfCheck.FETCHES_PROPERTY + "=", "-D" + SelfCheck.AOT_CACHE_PROPERTY + "=",
            "-D" + Lifeline.PROPERTY + "=");
    /** What tells a program it runs under systemd, or hands it sockets. */
    private static final List<String> ENVIRONMENT_LEFT_OUT = List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
            "JOURNAL_STREAM", "INVOCATION_ID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", Operations.JOURNAL_SOCKET_ENV);
    /** Writing the cache, after the server's own shutdown, takes the runtime a few seconds. */
    private static final Duration EXIT_LIMIT = Duration.ofMinutes(3);
    private static final String CACHE = "server.aot";

    private final Path work;
    private final Process process;
    /** Ended by a signal (an administrator's Ctrl-C), the check leaves neither daemon nor directory. */
    private final ExitCleanup cleanup;

    private TrainingDaemon(Path work, Process process) {
        this.work = work;
        this.process = process;
        this.cleanup = new ExitCleanup("training-cleanup", this::discard);
    }

    /**
     * A directory beside {@code target} for one daemon's run, owned by the account the daemon runs as:
     * its state directory and audit file go there, and the cache its runtime writes.
     */
    static Path workDirectory(Path target) throws IOException, PrivilegeException {
        Path dir = Files.createTempDirectory(target.toAbsolutePath().getParent(), ".training-");
        try {
            Files.createDirectory(dir.resolve("state"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (Privileges.isRoot()) {
                Privileges.Account account = Privileges.unprivilegedAccount();
                for (Path p : List.of(dir, dir.resolve("state"))) {
                    Files.setAttribute(p, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
                }
            }
            return dir;
        } catch (IOException | PrivilegeException | RuntimeException e) {
            SelfCheck.deleteTree(dir);
            throw e;
        }
    }

    /**
     * Starts {@code mandos serverArgs} with this JVM's options, recording a cache into {@code work},
     * which is removed if the start fails and when the daemon is closed.
     */
    static TrainingDaemon start(Path work, List<String> serverArgs) throws IOException {
        try {
            return new TrainingDaemon(work, startProcess(work, serverArgs));
        } catch (IOException | RuntimeException e) {
            SelfCheck.deleteTree(work);
            throw e;
        }
    }

    private static Process startProcess(Path work, List<String> serverArgs) throws IOException {
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> command = command(self.command().orElseThrow(() -> new IOException("cannot tell this JVM's path")),
                self.arguments().map(List::of).orElseThrow(() -> new IOException("cannot read this JVM's command line")),
                work.resolve(CACHE), serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(work.resolve("daemon.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE); // its lifeline: this JVM holds the other end
        // A check, not a server: it tells no service manager anything, takes no socket it is handed,
        // and its audit records (the check's fetches) go to its own file, not to the system's log.
        ENVIRONMENT_LEFT_OUT.forEach(builder.environment()::remove);
        builder.environment().put(Operations.SYSLOG_SOCKET_ENV, work.resolve("no-syslog").toString());
        return builder.start();
    }

    /**
     * The daemon's command line: this JVM's executable and options, without those that concern this
     * JVM's own cache or check, with the cache to record, then the launcher's class and {@code mandos}.
     */
    static List<String> command(String java, List<String> arguments, Path cacheOutput, List<String> serverArgs)
            throws IOException {
        int main = arguments.indexOf(Launcher.class.getName());
        if (main < 0 || main + 1 >= arguments.size() || !"mandos".equals(arguments.get(main + 1))) {
            throw new IOException("not started as '" + Launcher.class.getName() + " mandos' (by a launcher): "
                    + "cannot start the daemon the same way");
        }
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String option : arguments.subList(0, main)) {
            if (NOT_INHERITED.stream().noneMatch(option::startsWith)) command.add(option);
        }
        command.add("-XX:AOTCacheOutput=" + cacheOutput);
        command.add(Lifeline.option());
        command.add(Launcher.class.getName());
        command.add("mandos");
        command.addAll(serverArgs);
        return command;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the daemon wrote to its standard output and error, for an error message. */
    String log() {
        try {
            String text = Files.readString(work.resolve("daemon.log"), StandardCharsets.UTF_8).strip();
            return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the daemon as systemd would (SIGTERM) and waits for its runtime to write the cache. */
    int stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the daemon did not exit within " + EXIT_LIMIT.toSeconds() + " s of SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * Copies the cache the daemon's runtime wrote to {@code target} (replaced at once, readable by
     * all, owned by this process's user), refusing anything but a regular file with one name.
     */
    void install(Path target) throws IOException {
        Path made = work.resolve(CACHE);
        if (!Files.exists(made, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the daemon's runtime wrote no AOT cache: " + log());
        }
        install(made, target);
    }

    /** As {@link #install(Path)}, from {@code made}. */
    static void install(Path made, Path target) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(made, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile() || (Integer) Files.getAttribute(made, "unix:nlink", LinkOption.NOFOLLOW_LINKS) != 1) {
            throw new IOException(made + " is not a regular file with one name");
        }
        Path fresh = Files.createTempFile(target.toAbsolutePath().getParent(), ".server.aot-", ".new");
        try {
            try (InputStream in = Files.newInputStream(made, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(in, fresh, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(fresh);
        }
    }

    /** Kills a daemon still running (a failed check) and removes the work directory. */
    @Override
    public void close() throws IOException {
        cleanup.close();
    }

    private void discard() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        SelfCheck.deleteTree(work);
    }
}
