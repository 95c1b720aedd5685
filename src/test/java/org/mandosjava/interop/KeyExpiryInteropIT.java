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
import org.mandosjava.testing.DBusMonitor;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.OurTools;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.PrivateSystemBus;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.TlsKeyFiles;

/**
 * Key expiry with the real mandos-client against our packaged server on a private bus: a key past
 * its key_expires gets nothing, and the log and the D-Bus Rejected signal say why; our mandos-ctl
 * shows and extends the date; new keys from our mandos-keygen (whose section carries the new
 * key_expires) and a SIGHUP unlock the client without a restart.
 */
class KeyExpiryInteropIT {
    static final byte[] OLD_PASSWORD = "old password".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_PASSWORD = "new password\n".getBytes(StandardCharsets.UTF_8);
    static final String PAST = "2020-01-01T00:00:00Z";
    static final String DEFAULTS = "[DEFAULT]\nchecker = true\ninterval = P20D\n\n";

    @TempDir Path tmp;

    @Test
    void anExpiredKeyGetsNothingSaysWhyAndRotationOrExtensionUnlocks() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Keys from the real mandos-keygen: its section has no key_expires, so the operator adds it.
        Keys old = Keys.generate(Keys.Keygen.REAL, tmp.resolve("old"), "box");
        String boxSection = old.clientsConfSection(Keys.Keygen.REAL, "box", OLD_PASSWORD) + "key_expires = " + PAST + "\n";
        TlsKeyFiles lateKey = TlsKeyFiles.generate(old.dir(), "late");
        String lateSection = lateKey.section(old.clientsConfSection(Keys.Keygen.REAL, "late", OLD_PASSWORD))
                + "key_expires = 2020-06-30\n";
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path clientsConf = conf.resolve("clients.conf");
        Files.writeString(clientsConf, DEFAULTS + boxSection + "\n" + lateSection);
        Files.setPosixFilePermissions(clientsConf, PosixFilePermissions.fromString("rw-------"));
        int port = ServerProcess.freePort();

        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"))) {
            List<String> args = new ArrayList<>(ServerProcess.args(conf, Files.createDirectories(tmp.resolve("state")),
                    "::1", port));
            args.remove("--no-dbus");
            try (ServerProcess server = ServerProcess.start(List.of(), args, bus.environment());
                    DBusMonitor monitor = DBusMonitor.start(bus, tmp.resolve("monitor"))) {
                bus.awaitName("se.recompile.Mandos", Duration.ofSeconds(30), server::isAlive);
                String connect = "[::1]:" + port;

                // Expired: nothing, and the reason in the log and on the bus.
                CommandResult refused = MandosClients.runReal(old, connect, Duration.ofSeconds(6));
                assertThat(refused.stdout()).as("the expired key gets no password").isEmpty();
                server.awaitLog(l -> l.contains("Client box is refused: key expired"), Duration.ofSeconds(10));
                server.awaitLog(l -> l.contains("Client box: its key expired at " + PAST), Duration.ofSeconds(10));
                assertThat(Poll.until(() -> rejected(monitor), Duration.ofSeconds(10)))
                        .as("Rejected \"key expired\" on /clients/box; signals: %s", signals(monitor)).isTrue();

                // Our mandos-ctl shows the date, and extends it for "late", which then unlocks.
                String table = MandosCtl.ours(bus, "-v").assertSuccess().stdoutText();
                assertThat(table.lines().findFirst().orElseThrow().strip()).endsWith("Last Checker Status Key Expires");
                assertThat(table).contains("2020-01-01T00:00:00.000000", "2020-06-30T00:00:00.000000");
                assertThat(MandosClients.runReal(old, connect, Duration.ofSeconds(6), lateKey.clientOptions())
                        .stdout()).isEmpty();
                MandosCtl.ours(bus, "--key-expires=2099-01-01", "late").assertSuccess();
                assertThat(MandosCtl.ours(bus, "-v", "late").assertSuccess().stdoutText())
                        .contains("2099-01-01T00:00:00.000000");
                CommandResult extended = MandosClients.runReal(old, connect, Duration.ofSeconds(30),
                        lateKey.clientOptions());
                assertThat(extended.stdout()).as("extended; log:\n%s", String.join("\n", server.log()))
                        .isEqualTo(OLD_PASSWORD);

                // Rotation: new keys from our mandos-keygen, its section replaces box's, SIGHUP.
                Path newDir = tmp.resolve("new");
                List<String> keygen = new ArrayList<>(OurTools.command("mandos-keygen"));
                keygen.addAll(List.of("--dir", newDir.toString(), "--force", "--name", "box", "--length", "2048",
                        "--sublength", "2048", "--expire", "2099-06-30"));
                CommandResult.run(keygen, Duration.ofMinutes(3), Map.of()).assertSuccess();
                Files.setPosixFilePermissions(newDir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Keys rotated = new Keys(newDir);
                String newSection = rotated.clientsConfSection(Keys.Keygen.OURS, "box", NEW_PASSWORD);
                assertThat(newSection).contains("\nkey_expires = 2099-06-30T00:00:00Z\n");
                Files.writeString(clientsConf, DEFAULTS + newSection + "\n" + lateSection);
                CommandResult.runSuccessfully(Duration.ofSeconds(30), "kill", "-HUP", Long.toString(server.pid()));
                server.awaitLog(l -> l.contains("Reloaded"), Duration.ofSeconds(20));

                CommandResult unlocked = MandosClients.runReal(rotated, connect, Duration.ofSeconds(30));
                assertThat(unlocked.stdout()).as("rotated; log:\n%s", String.join("\n", server.log()))
                        .isEqualTo(NEW_PASSWORD);
                assertThat(MandosClients.runReal(old, connect, Duration.ofSeconds(6)).stdout()).isEmpty();
                server.awaitLog(l -> l.contains("Client not found for key ID"), Duration.ofSeconds(10));
            }
        }
    }

    /** Keys the real mandos-keygen made with --expire: our keygen's section carries their date. */
    @Test
    void ourKeygenReadsTheExpiryOfKeysMadeByTheRealOne() throws Exception {
        Peers.require(Peers.REAL_KEYGEN, "mandos-client");
        Path dir = Files.createDirectories(tmp.resolve("real-expiring"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        CommandResult.run(List.of(Peers.REAL_KEYGEN.toString(), "--dir", dir.toString(), "--force", "--name", "x",
                "--length", "2048", "--sublength", "2048", "--expire", "2099-06-30"), Duration.ofMinutes(3), Map.of())
                .assertSuccess();
        String section = new Keys(dir).clientsConfSection(Keys.Keygen.OURS, "x", OLD_PASSWORD);
        // GnuPG puts a date-only expiry at noon UTC; the section says what the key says.
        assertThat(section).containsPattern("\nkey_expires = 2099-06-30T\\d\\d:00:00Z\n");
        assertThat(new Keys(dir).clientsConfSection(Keys.Keygen.REAL, "x", OLD_PASSWORD))
                .as("the real keygen prints no such line").doesNotContain("key_expires");
    }

    private static boolean rejected(DBusMonitor monitor) {
        return signals(monitor).stream().anyMatch(s -> s.path().equals("/clients/box")
                && s.iface().equals("se.recompile.Mandos.Client") && s.member().equals("Rejected")
                && s.args().equals(List.of("string \"key expired\"")));
    }

    private static List<DBusMonitor.Signal> signals(DBusMonitor monitor) {
        try {
            return monitor.signals("se.");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
