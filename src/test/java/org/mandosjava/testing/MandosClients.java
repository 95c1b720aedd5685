package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a Mandos client (the real Debian one, or ours) once against a server: it retries until it
 * gets the password, so each run is bounded by {@code timeout}: both are wrapped in {@code timeout(1)},
 * whose exit status {@link #TIMED_OUT} then says the client never got it.
 */
public final class MandosClients {
    /** Exit status of timeout(1) when it had to stop the command. */
    public static final int TIMED_OUT = 124;
    /** Seconds between the clients' attempts in tests, so a first miss costs little. */
    private static final String RETRY_SECONDS = "1";

    private MandosClients() {}

    /** The real {@code mandos-client} with {@code --interface=none} and no network hooks. */
    public static CommandResult runReal(Keys keys, String connect, Duration timeout, String... extra)
            throws IOException, InterruptedException {
        Peers.require(Peers.REAL_CLIENT, "mandos-client");
        Path hooks = Files.createTempDirectory("mandos-test-hooks-");
        try {
            List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5",
                    Long.toString(timeout.toSeconds()), Peers.REAL_CLIENT.toString(),
                    "--interface=none", "--connect=" + connect, "--network-hook-dir=" + hooks,
                    "--retry=" + RETRY_SECONDS));
            command.addAll(keys.clientKeyOptions());
            command.addAll(List.of(extra));
            return CommandResult.run(command, timeout.plusSeconds(15), Map.of());
        } finally {
            TestDirs.deleteRecursively(hooks);
        }
    }

    /** Our {@code mandos-client}, from the packaged jar, also wrapped in {@code timeout(1)}. */
    public static CommandResult runOurs(Keys keys, String connect, Duration timeout, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5", Long.toString(timeout.toSeconds())));
        command.addAll(OurTools.command("mandos-client"));
        command.addAll(List.of("--interface=none", "--connect=" + connect, "--retry=" + RETRY_SECONDS));
        command.addAll(keys.clientKeyOptions());
        command.addAll(List.of(extra));
        return CommandResult.run(command, timeout.plusSeconds(15), Map.of());
    }

    /**
     * Starts the real client in the background (wrapped in {@code timeout(1)}), for tests that act
     * while it waits; its stdout then holds the password if it got one. Close it to stop it.
     */
    public static ManagedProcess startReal(Keys keys, String connect, Duration timeout, Path logDir)
            throws IOException {
        Peers.require(Peers.REAL_CLIENT, "mandos-client");
        Path hooks = Files.createDirectories(logDir.resolve("network-hooks"));
        List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5",
                Long.toString(timeout.toSeconds()), Peers.REAL_CLIENT.toString(),
                "--interface=none", "--connect=" + connect, "--network-hook-dir=" + hooks,
                "--retry=" + RETRY_SECONDS));
        command.addAll(keys.clientKeyOptions());
        return ManagedProcess.start("mandos-client", command, logDir, Map.of());
    }
}
