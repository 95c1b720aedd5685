package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.TestDirs;

/**
 * A server started with SIGHUP ignored (under {@code nohup}, or from a shell script that trapped it)
 * still reloads clients.conf on SIGHUP, as the original does: the JVM would otherwise take the
 * inherited "ignore" as final and never deliver the signal.
 */
class ReloadSignalIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path tmp;

    @Test
    void aServerStartedWithSighupIgnoredStillReloads() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path clients = conf.resolve("clients.conf");
        Files.writeString(clients, "[alpha]\nkey_id = " + "ab".repeat(32) + "\nsecret = b25l\nchecker = true\n");
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh"));
        command.addAll(ServerProcess.command(ServerProcess.args(conf, Files.createDirectories(tmp.resolve("state")),
                "::1", ServerProcess.freePort())));
        Path logDir = TestDirs.shared("reload-signal-");
        try (ManagedProcess server = ManagedProcess.start("mandos", command, logDir, Map.of())) {
            assertThat(server.awaitStderr(Pattern.compile("Now listening"), TIMEOUT)).as(server.describe()).isTrue();
            String ignored = Files.readString(Path.of("/proc/" + server.pid() + "/status")).lines()
                    .filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow();
            assertThat(Long.parseLong(ignored.split("\\s+")[1], 16) & 1).as("SIGHUP not ignored any more: %s", ignored)
                    .isZero();
            assertThat(server.stderrText()).contains("SIGHUP was ignored by whoever started the server");

            Files.writeString(clients, "\n[beta]\nkey_id = " + "cd".repeat(32) + "\nsecret = dHdv\nchecker = true\n",
                    java.nio.file.StandardOpenOption.APPEND);
            CommandResult.runSuccessfully(Duration.ofSeconds(10), "kill", "-HUP", Long.toString(server.pid()));
            assertThat(server.awaitStderr(Pattern.compile("Reloaded .*clients.conf: 2 clients"), TIMEOUT))
                    .as(server.describe()).isTrue();
            assertThat(server.isAlive()).isTrue();
        } finally {
            TestDirs.deleteRecursively(logDir);
        }
    }
}
