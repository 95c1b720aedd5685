package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/** The server command and its bus: {@code --no-dbus}, and a name someone else has (spec §7.1). */
class ServerDBusIT {
    @TempDir static Path tmp;
    static final String CONF = DBusFixture.DEFAULTS
            + "[beta]\nkey_id = " + "B".repeat(64) + "\nfingerprint = " + "B".repeat(40) + "\nsecret = c2VjcmV0\n";

    @BeforeAll
    static void permissions() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean owned(PrivateSystemBus bus, String name) throws Exception {
        CommandResult r = CommandResult.run(List.of("dbus-send", "--bus=" + bus.address(), "--print-reply",
                "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                "string:" + name), Duration.ofSeconds(20), Map.of()).assertSuccess();
        return r.stdoutText().contains("boolean true");
    }

    @Test
    void noDbusTakesNoName() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-off"));
                MandosServerProcess server = MandosServerProcess.startOursNotOnBus(CONF, bus)) {
            assertThat(owned(bus, "se.recompile.Mandos")).isFalse();
            assertThat(owned(bus, "se.bsnet.fukt.Mandos")).isFalse();
            assertThat(server.diagnostics()).doesNotContain("D-Bus");
        }
    }

    @Test
    void aTakenNameDisablesDbusAndTheServerGoesOn() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-taken"));
                MandosServerProcess first = MandosServerProcess.startOursOnBus(CONF, bus);
                MandosServerProcess second = MandosServerProcess.startOursOnBus(CONF.replace("[beta]", "[other]"),
                        bus)) {
            // The second one listens (start() waited for its port) and says why it has no D-Bus.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!second.diagnostics().contains("Disabling D-Bus: the bus name se.bsnet.fukt.Mandos is taken")) {
                assertThat(System.nanoTime()).as(second.diagnostics()).isLessThan(deadline);
                Thread.sleep(100); // polling, bounded by the deadline
            }
            CommandResult listing = MandosCtl.real(bus).assertSuccess();
            assertThat(listing.stdoutText()).contains("beta").doesNotContain("other");
        }
    }
}
