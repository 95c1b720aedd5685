package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.PrivateSystemBus;
import org.mandosjava.testing.Tmux;

/** The real Debian {@code mandos-monitor} (urwid) on our server, driven in tmux. */
class MandosMonitorIT {
    private static final Path MONITOR = Path.of("/usr/sbin/mandos-monitor");
    private static final Duration SCREEN_TIMEOUT = Duration.ofSeconds(30);

    @TempDir static Path tmp;
    static Keys alpha;
    static String clientsConf;

    @BeforeAll
    static void keys() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        alpha = DBusFixture.keys(tmp.resolve("alpha"), "alpha");
        clientsConf = DBusFixture.clientsConf(alpha);
    }

    @Test
    void listsOurClientsAndItsApproveKeyReleasesAWaitingClientsPassword() throws Exception {
        Peers.require(MONITOR, "mandos");
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus);
                Tmux tmux = Tmux.start(MONITOR.toString(), bus.environment())) {
            // The monitor redraws after adding each client, in the server's (clients.conf) order:
            // wait for the last one, delta, or the screen may be caught half drawn.
            String listed = tmux.awaitScreen(s -> s.contains("alpha: ") && s.contains("gamma.x-y: ")
                    && s.contains("delta: "), SCREEN_TIMEOUT, "the clients to be listed");
            assertThat(listed).contains("beta: ", "delta: DISABLED", "Mandos Monitor version 1.8.16");

            try (ManagedProcess client = MandosClients.startReal(alpha, server.connectAddress(),
                    Duration.ofSeconds(90), Files.createDirectories(tmp.resolve("client")))) {
                // alpha is first (the list is sorted by name), so it has the focus.
                tmux.awaitScreen(s -> s.contains("alpha: Denial in ") && s.contains("(a)pprove?"), SCREEN_TIMEOUT,
                        "alpha to wait for approval");
                assertThat(client.stdoutText()).isEmpty();
                tmux.sendKeys("a");
                assertThat(client.waitFor(Duration.ofSeconds(30))).as(client.diagnostics()).isZero();
                assertThat(client.stdoutBytes()).isEqualTo(DBusFixture.ALPHA_PASSWORD);
            }
            // The monitor's log pane shows what happened (from our signals).
            tmux.awaitScreen(s -> s.contains("Client alpha received its secret"), SCREEN_TIMEOUT,
                    "the monitor to log the secret sent");
        }
    }
}
