package org.mandosjava.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static AuditRecord at(Instant time) {
        return new AuditRecord(time, AuditEvent.SECRET_RELEASED, "host1", "ab", "::1", 4, null, null, -1, 1);
    }

    @Test
    void theTimeIsRfc3339InUtcWithMicroseconds() {
        assertThat(at(Instant.parse("2026-12-02T03:04:05.000001Z")).timeText()).isEqualTo("2026-12-02T03:04:05.000001Z");
        assertThat(at(Instant.parse("1970-01-01T00:00:00Z")).timeText()).isEqualTo("1970-01-01T00:00:00.000000Z");
        assertThat(at(Instant.parse("9999-12-31T23:59:59.999999999Z")).timeText())
                .isEqualTo("9999-12-31T23:59:59.999999Z");
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 300_000_000_000L),
                    random.nextInt(1_000_000_000));
            assertThat(at(t).timeText()).as("%s", t).isEqualTo(REFERENCE.format(t.truncatedTo(ChronoUnit.MICROS)));
        }
    }

    @Test
    void fieldsComeInAFixedOrderAndTheMessageLeavesOutTheTime() {
        AuditRecord r = new AuditRecord(Instant.parse("2026-12-02T03:04:05Z"), AuditEvent.CLIENT_DISABLED, "host1",
                null, null, -1, "checker timeout", ":1.7", 0, 3);
        assertThat(r.fields()).containsExactly(
                java.util.Map.entry("time", "2026-12-02T03:04:05.000000Z"),
                java.util.Map.entry("event", "client_disabled"),
                java.util.Map.entry("client", "host1"),
                java.util.Map.entry("reason", "checker timeout"),
                java.util.Map.entry("caller", ":1.7"),
                java.util.Map.entry("caller_uid", "0"),
                java.util.Map.entry("count", "3"));
        assertThat(r.message()).isEqualTo("audit: client_disabled client=host1 reason=\"checker timeout\" caller=:1.7 "
                + "caller_uid=0 count=3");
    }
}
