package org.mandosjava.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.log.JournalEntry;
import org.mandosjava.testing.DatagramReceiver;

/** Structured journal entries in journald's native protocol, read back from a private socket. */
class JournalSinkTest {
    @TempDir Path dir;

    @Test
    void aRecordArrivesWithMessageIdAndMandosFields() throws Exception {
        try (DatagramReceiver journal = DatagramReceiver.bind(dir.resolve("journal.sock"))) {
            AuditRecord r = new AuditRecord(Instant.parse("2026-12-02T03:04:05.000001Z"), AuditEvent.CLIENT_DISABLED,
                    "host1", null, null, -1, "no successful check\nwithin its timeout", ":1.7", 0, 1);
            new JournalSink(journal.path().toString(), "mandos").write(r);
            Map<String, String> fields = JournalEntry.decode(journal.receive(Duration.ofSeconds(5)));
            assertThat(fields).containsEntry("MESSAGE_ID", "ec9668fd5b394091949ddcdc00eeca94")
                    .containsEntry("PRIORITY", "5").containsEntry("SYSLOG_IDENTIFIER", "mandos")
                    .containsEntry("MANDOS_EVENT", "client_disabled").containsEntry("MANDOS_CLIENT", "host1")
                    .containsEntry("MANDOS_REASON", "no successful check\nwithin its timeout")
                    .containsEntry("MANDOS_CALLER_UID", "0").containsEntry("MANDOS_TIME", "2026-12-02T03:04:05.000001Z")
                    .doesNotContainKey("MANDOS_KEY_ID");
            assertThat(fields.get("MESSAGE")).startsWith("audit: client_disabled client=host1");
        }
    }

    /** journald behind (its queue full) must not hold a release: the send fails at once, and is counted. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aFullJournalFailsTheSendInsteadOfWaiting() throws Exception {
        try (DatagramReceiver journal = DatagramReceiver.bind(dir.resolve("journal.sock"));
                JournalSink sink = new JournalSink(journal.path().toString(), "mandos")) {
            AuditRecord r = new AuditRecord(Instant.now(), AuditEvent.SECRET_RELEASED, "host1", "ab", "::1", 4, null,
                    null, -1, 1);
            int sent = 0;
            java.io.IOException full = null;
            while (full == null && sent < 100_000) {
                try {
                    sink.write(r);
                    sent++;
                } catch (java.io.IOException e) {
                    full = e;
                }
            }
            assertThat(full).as("after %d records into a receiver that reads nothing", sent).isNotNull()
                    .hasMessageContaining("EAGAIN");
            journal.receive(Duration.ofSeconds(5));
            sink.write(r); // room again: the same socket goes on
        }
    }

    @Test
    void syslogGetsOneNoticeLine() throws Exception {
        try (DatagramReceiver devLog = DatagramReceiver.bind(dir.resolve("log.sock"))) {
            AuditRecord r = new AuditRecord(Instant.now(), AuditEvent.SECRET_RELEASED, "host1", "ab", "::1", 4, null,
                    null, -1, 1);
            new SyslogSink(devLog.path().toString(), "mandos").write(r);
            assertThat(devLog.receiveText(Duration.ofSeconds(5))).startsWith("<29>")
                    .contains(" mandos[" + ProcessHandle.current().pid() + "]: audit: secret_released client=host1 key_id=ab peer=::1 connection=4");
        }
    }

    @Test
    void everyMessageIdIsDistinct() {
        assertThat(java.util.Arrays.stream(AuditEvent.values()).map(AuditEvent::messageId).distinct().count())
                .isEqualTo(AuditEvent.values().length);
    }
}
