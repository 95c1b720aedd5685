package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * The shipped policy {@code packaging/dbus/mandos-java.conf}, on a bus whose default policy is the
 * system bus's (no owning, no method calls): our server (running as _mandos) gets its names, root
 * may control it, any other user may not.
 */
class DBusPolicyIT {
    /** The defaults of Debian's /usr/share/dbus-1/system.conf that matter here. */
    private static final String SYSTEM_DEFAULTS = """
              <policy context="default">
                <allow user="*"/>
                <deny own="*"/>
                <deny send_type="method_call"/>
                <allow send_type="signal"/>
                <allow send_requested_reply="true" send_type="method_return"/>
                <allow send_requested_reply="true" send_type="error"/>
                <allow receive_type="method_call"/>
                <allow receive_type="method_return"/>
                <allow receive_type="error"/>
                <allow receive_type="signal"/>
                <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
                <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
                <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
              </policy>
            """;

    @TempDir static Path tmp;

    @BeforeAll
    static void permissions() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void rootAndTheServerMayOthersMayNot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (runs a command as nobody)");
        Path policy = Path.of(System.getProperty("mandos.home"), "packaging", "dbus", "mandos-java.conf");
        String conf = DBusFixture.DEFAULTS
                + "[beta]\nkey_id = " + "B".repeat(64) + "\nfingerprint = " + "B".repeat(40) + "\nsecret = c2VjcmV0\n";
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"),
                SYSTEM_DEFAULTS + "  <include>" + policy + "</include>\n");
                MandosServerProcess server = MandosServerProcess.startOursOnBus(conf, bus)) {
            assertThat(MandosCtl.real(bus).assertSuccess().stdoutText()).contains("beta");

            CommandResult listing = asNobody(bus, "/usr/sbin/mandos-ctl");
            assertThat(listing.exitStatus()).as(listing.describe()).isEqualTo(1);
            assertThat(listing.stderr()).contains("Rejected send message");
            CommandResult remove = asNobody(bus, "dbus-send", "--system", "--print-reply",
                    "--dest=se.recompile.Mandos", "/", "se.recompile.Mandos.RemoveClient", "objpath:/clients/beta");
            assertThat(remove.exitStatus()).isNotZero();
            assertThat(remove.stderr()).contains("Rejected send message");

            assertThat(MandosCtl.real(bus).assertSuccess().stdoutText()).as("still there").contains("beta");
        }
    }

    private static CommandResult asNobody(PrivateSystemBus bus, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "nobody", "--", "env",
                "DBUS_SYSTEM_BUS_ADDRESS=" + bus.address()));
        full.addAll(List.of(command));
        return CommandResult.run(full, Duration.ofSeconds(30), Map.of());
    }
}
