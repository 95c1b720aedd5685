package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * Who changed what over D-Bus: the real mandos-ctl, run as root on a private system bus, disables,
 * enables and re-times a client; the audit file names each change, its reason and the caller's
 * Unix user as the bus daemon reports it.
 */
class AuditedDBusIT {
    @TempDir Path tmp;

    @Test
    void changesOverDBusNameTheCallersUnixUser() throws Exception {
        Keys alpha = DBusFixture.keys(tmp.resolve("keys"), "alpha");
        Path audit = tmp.resolve("audit.jsonl");
        // The server reaches the bus's socket here after dropping privileges.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(DBusFixture.clientsConf(alpha), bus,
                        "--audit-log", audit.toString())) {
            for (String[] args : List.of(new String[] {"--disable", "alpha"}, new String[] {"--enable", "alpha"},
                    new String[] {"--interval", "PT5M", "alpha"})) {
                CommandResult r = MandosCtl.real(bus, args);
                assertThat(r.exitStatus()).as(r.toString() + server.diagnostics()).isZero();
            }
        }
        List<String> lines = Files.readAllLines(audit);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"client_disabled\"", "\"client\":\"alpha\"",
                "\"reason\":\"disabled by request\"", "\"caller\":\":1.", "\"caller_uid\":\"0\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"client_enabled\"", "\"caller_uid\":\"0\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"setting_changed\"",
                "\"reason\":\"Interval\"", "\"caller_uid\":\"0\""));
    }
}
