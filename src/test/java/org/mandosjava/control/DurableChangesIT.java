package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.state.StateStore;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.PrivateSystemBus;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.SmallTmpfs;

/**
 * A disable that cannot be made durable is not reported as done: the real {@code mandos-ctl} against
 * our server with its state directory on a full tmpfs (needs root) exits non-zero naming the cause,
 * the client is refused at once all the same, and once space is freed the server saves by itself, so
 * the disable survives a SIGKILL and restart.
 */
class DurableChangesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private List<String> args(Path conf, Path state, int port) throws Exception {
        List<String> args = new ArrayList<>(ServerProcess.args(conf, state, "::1", port));
        args.remove("--no-dbus");
        args.remove("--no-restore");  // the restart must see what the first run saved
        return args;
    }

    @Test
    void aDisableOnAFullDiskFailsInMandosCtlButRefusesAtOnceAndIsSavedWhenSpaceReturns() throws Exception {
        SmallTmpfs.require();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Keys alpha = DBusFixture.keys(tmp.resolve("alpha"), "alpha");
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("mandos.conf"), "[DEFAULT]\n");
        Files.writeString(conf.resolve("clients.conf"), DBusFixture.clientsConf(alpha));
        int port = ServerProcess.freePort();
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"));
                SmallTmpfs fs = SmallTmpfs.mount(tmp.resolve("mnt"), 512)) {
            Path state = fs.path().resolve("state");
            Path stateFile = state.resolve(StateStore.FILE_NAME);
            try (ServerProcess server = ServerProcess.start(List.of(), args(conf, state, port), bus.environment())) {
                bus.awaitName("se.recompile.Mandos", WAIT, server::isAlive);
                assertThat(Poll.until(() -> Files.exists(stateFile), WAIT)).as("first save").isTrue();
                fs.fill();

                CommandResult disable = MandosCtl.real(bus, "--disable", "alpha");
                assertThat(disable.exitStatus()).as(disable.describe()).isNotZero();
                assertThat(disable.stderr()).contains("not saved to disk", "No space left on device");
                String json = MandosCtl.real(bus, "--dump-json", "alpha").assertSuccess().stdoutText();
                assertThat(json).as("disabled in memory at once").contains("\"Enabled\": false");
                CommandResult client = MandosClients.runReal(alpha, "[::1]:" + port, Duration.ofSeconds(6));
                assertThat(client.stdout()).as("the real client gets nothing").isEmpty();
                server.awaitLog(l -> l.contains("Client alpha is disabled"), WAIT);

                fs.free();
                server.awaitLog(l -> l.contains("State saved to " + stateFile + " again"), WAIT);
                assertThat(server.log()).filteredOn(l -> l.contains("Could not save state"))
                        .as("one error for the run of failures").hasSize(1);
                new ProcessBuilder("kill", "-KILL", Long.toString(server.pid())).start().waitFor();
                assertThat(Poll.until(() -> !server.isAlive(), WAIT)).isTrue();
            }
            try (ServerProcess server = ServerProcess.start(List.of(), args(conf, state, port), bus.environment())) {
                bus.awaitName("se.recompile.Mandos", WAIT, server::isAlive);
                String json = MandosCtl.real(bus, "--dump-json", "alpha").assertSuccess().stdoutText();
                assertThat(json).as("still disabled after SIGKILL and restart").contains("\"Enabled\": false");
                CommandResult client = MandosClients.runReal(alpha, "[::1]:" + port, Duration.ofSeconds(6));
                assertThat(client.stdout()).isEmpty();
            }
        }
    }
}
