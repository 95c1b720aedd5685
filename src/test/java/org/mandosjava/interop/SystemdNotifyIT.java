package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.DatagramReceiver;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.TlsKeyFiles;

/**
 * The packaged server under a stand-in for systemd: a datagram socket of the test's as
 * NOTIFY_SOCKET, with a watchdog timeout. It says READY=1 with a status line once listening, pets
 * the watchdog, brackets a SIGHUP reload with RELOADING=1 and READY=1, and says STOPPING=1.
 */
class SystemdNotifyIT {
    @TempDir Path tmp;

    @Test
    void readyStatusWatchdogReloadAndStop() throws Exception {
        Keys keys = Keys.writeInProcess(tmp.resolve("keys"), "test", 2048);
        Path configDir = Files.createDirectories(tmp.resolve("conf"));
        Path clientsConf = configDir.resolve("clients.conf");
        TlsKeyFiles other = TlsKeyFiles.generate(keys.dir(), "beta");
        Files.writeString(clientsConf, keys.clientsConfSection(Keys.Keygen.OURS, "alpha",
                "pw".getBytes(StandardCharsets.UTF_8)) + "\n" + other.section(keys.clientsConfSection(Keys.Keygen.OURS,
                "beta", "pw2".getBytes(StandardCharsets.UTF_8))) + "enabled = false\n");
        Files.setPosixFilePermissions(clientsConf, PosixFilePermissions.fromString("rw-------"));
        int port = ServerProcess.freePort();
        try (DatagramReceiver systemd = DatagramReceiver.bind(tmp.resolve("notify"));
                ServerProcess server = ServerProcess.start(ServerProcess.args(configDir,
                        Files.createDirectories(tmp.resolve("state")), "127.0.0.1", port),
                        Map.of("NOTIFY_SOCKET", systemd.path().toString(), "WATCHDOG_USEC", "2000000"))) {
            assertThat(systemd.receiveText(Duration.ofSeconds(30)))
                    .isEqualTo("READY=1\nSTATUS=2 clients, 1 disabled, listening on 127.0.0.1:" + port);
            List<String> got = new ArrayList<>();
            got.add(systemd.receiveText(Duration.ofSeconds(5)));
            got.add(systemd.receiveText(Duration.ofSeconds(5)));
            assertThat(got).containsOnly("WATCHDOG=1");

            CommandResult.runSuccessfully(Duration.ofSeconds(10), "kill", "-HUP", Long.toString(server.pid()));
            String reloading = next(systemd, m -> m.startsWith("RELOADING=1"));
            assertThat(reloading).contains("MONOTONIC_USEC=");
            assertThat(next(systemd, m -> m.startsWith("READY=1"))).startsWith("READY=1\nSTATUS=2 clients");

            assertThat(server.stop()).isZero();
            assertThat(next(systemd, m -> m.startsWith("STOPPING=1"))).isEqualTo("STOPPING=1\nSTATUS=Shutting down");
        }
    }

    /** The next message that is not a watchdog pet, which must match. */
    static String next(DatagramReceiver systemd, java.util.function.Predicate<String> expected) throws Exception {
        for (int i = 0; i < 50; i++) {
            String m = systemd.receiveText(Duration.ofSeconds(10));
            assertThat(m).as("a message from the server").isNotNull();
            if (m.equals("WATCHDOG=1")) continue;
            assertThat(m).matches(expected::test, "the expected message");
            return m;
        }
        throw new AssertionError("only watchdog pets");
    }
}
