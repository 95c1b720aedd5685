package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.PrivateSystemBus;
import org.mandosjava.testing.ServerProcess;

/** Durations beyond the maximum or negative: refused before listening, and refused over D-Bus. */
class DurationBoundsIT {
    @TempDir Path tmp;

    private static final String CLIENT = """
            [box]
            key_id = e912fdd27d3dbeca166c142d40a8fedbe81e066ec7639825e2bd4b388e856753
            secret = aGVsbG8=
            """;

    @Test
    void aThousandYearIntervalStopsTheStartBeforeListening() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("clients.conf"), CLIENT + "interval = P1000Y\n");
        int port = ServerProcess.freePort();
        CommandResult r = CommandResult.run(ServerProcess.command(List.of("--configdir", conf.toString(),
                "--foreground", "--no-dbus", "--no-zeroconf", "--no-restore", "--statedir",
                tmp.resolve("state").toString(), "--port", Integer.toString(port))), Duration.ofSeconds(60), Map.of());
        assertThat(r.exitStatus()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).contains(conf.resolve("clients.conf") + ":4: interval: a duration can be at most"
                + " 49 days (P7W): \"P1000Y\" (client [box])").doesNotContain("ArithmeticException", "Now listening");
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    /** Property Set with dbus-send: the real mandos-ctl sends Int32 and cannot even express these values. */
    private static CommandResult set(PrivateSystemBus bus, String property, String typedValue) throws Exception {
        return CommandResult.run(List.of("dbus-send", "--system", "--print-reply", "--dest=se.recompile.Mandos",
                "/clients/box", "org.freedesktop.DBus.Properties.Set", "string:se.recompile.Mandos.Client",
                "string:" + property, "variant:" + typedValue), Duration.ofSeconds(30), bus.environment());
    }

    @Test
    void aDBusSetBeyondTheBoundsIsInvalidArgsAndNothingChanges() throws Exception {
        // The server drops privileges: it must reach the bus socket made under here.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(CLIENT + "timeout = PT1H\n", bus)) {
            CommandResult huge = set(bus, "Timeout", "uint64:31449600000000");
            assertThat(huge.exitStatus()).as(huge.describe()).isNotZero();
            assertThat(huge.stderr()).contains("org.freedesktop.DBus.Error.InvalidArgs",
                    "Timeout: a duration can be at most 49 days (P7W): 31449600000000 ms");
            CommandResult negative = set(bus, "Interval", "int64:-300000");
            assertThat(negative.exitStatus()).as(negative.describe()).isNotZero();
            assertThat(negative.stderr()).contains("InvalidArgs", "Interval: a duration cannot be negative");
            String json = MandosCtl.real(bus, "--dump-json", "box").assertSuccess().stdoutText();
            assertThat(json).as(server.diagnostics()).contains("\"Timeout\": 3600000", "\"Interval\": 120000");
            assertThat(set(bus, "Timeout", "uint64:" + Duration.ofDays(49).toMillis()).exitStatus())
                    .as("the maximum itself").isZero();
        }
    }
}
