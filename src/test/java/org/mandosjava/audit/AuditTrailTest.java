package org.mandosjava.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.Decision;
import org.mandosjava.server.Origin;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.SystemScheduler;

/** The audit trail as the registry's listener: one record per event, with who caused it, never a secret. */
class AuditTrailTest {
    static final String SECRET = "correct horse battery staple";
    static final String KEY = "ab".repeat(32);

    final List<AuditRecord> records = new CopyOnWriteArrayList<>();
    final AtomicLong nanos = new AtomicLong();
    final Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:04:05.123456789Z"), ZoneOffset.UTC);
    final SystemScheduler scheduler = new SystemScheduler();
    boolean failing;

    final AuditSink sink = new AuditSink() {
        @Override public void write(AuditRecord r) throws IOException {
            if (failing) throw new IOException("disk full");
            records.add(r);
        }

        @Override public boolean required() {
            return true;
        }

        @Override public String describe() {
            return "memory";
        }
    };
    final AuditTrail trail = new AuditTrail(List.of(sink), clock, nanos::get);

    @AfterEach
    void stop() {
        scheduler.close();
    }

    ClientRegistry registry(boolean enabled) {
        ClientConfig c = new ClientConfig("host1", KEY, "", SECRET.getBytes(StandardCharsets.UTF_8), "", "true",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, enabled, Map.of("name", "host1"), Path.of("test"), 1);
        ClientRegistry r = new ClientRegistry(List.of(c), scheduler, new CheckerRunner());
        r.addListener(trail);
        return r;
    }

    @Test
    void aReleaseIsRecordedBeforeTheDecisionReturnsWithConnectionAndKey() throws Exception {
        ClientRegistry r = registry(true);
        Decision d;
        try (Origin.Scope ignored = Origin.enter(Origin.connection(7, "fe80::1%eth0").withKeyId(KEY))) {
            d = r.requestSecret(KEY, "fe80::1%eth0", () -> true);
        }
        assertThat(d).isInstanceOf(Decision.Send.class);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).fields()).containsExactly(
                Map.entry("time", "2026-12-02T03:04:05.123456Z"), Map.entry("event", "secret_released"),
                Map.entry("client", "host1"), Map.entry("key_id", KEY), Map.entry("peer", "fe80::1%eth0"),
                Map.entry("connection", "7"));
    }

    @Test
    void aReleaseThatCannotBeRecordedIsRefused() throws Exception {
        ClientRegistry r = registry(true);
        failing = true;
        Decision d = r.requestSecret(KEY, "::1", () -> true);
        assertThat(d).isEqualTo(new Decision.Refuse("host1", ClientRegistry.NOT_RECORDED));
        assertThat(trail.failed()).isEqualTo(2); // the release and the refusal
    }

    @Test
    void refusalsCarryTheReason() throws Exception {
        ClientRegistry r = registry(false);
        try (Origin.Scope ignored = Origin.enter(Origin.connection(3, "::1").withKeyId(KEY))) {
            r.requestSecret(KEY, "::1", () -> true);
        }
        assertThat(records).singleElement().satisfies(rec -> {
            assertThat(rec.event()).isEqualTo(AuditEvent.SECRET_REFUSED);
            assertThat(rec.reason()).isEqualTo("Disabled");
            assertThat(rec.keyId()).isEqualTo(KEY);
            assertThat(rec.connection()).isEqualTo(3);
        });
    }

    @Test
    void operatorChangesNameTheCallerAndTheReason() {
        ClientRegistry r = registry(true);
        try (Origin.Scope ignored = Origin.enter(Origin.dbusCaller(":1.42", 0))) {
            r.disable("host1");
            r.enable("host1");
            r.setInterval("host1", Duration.ofMinutes(1));
            r.setSecret("host1", "new secret".getBytes(StandardCharsets.UTF_8));
            r.approve("host1", false);
            r.remove("host1");
        }
        assertThat(records).extracting(AuditRecord::event).containsExactly(AuditEvent.CLIENT_DISABLED,
                AuditEvent.CLIENT_ENABLED, AuditEvent.SETTING_CHANGED, AuditEvent.SECRET_CHANGED, AuditEvent.DENIED,
                AuditEvent.CLIENT_REMOVED);
        assertThat(records.get(0).reason()).isEqualTo("disabled by request");
        assertThat(records.get(2).reason()).isEqualTo("Interval");
        assertThat(records).allSatisfy(rec -> {
            assertThat(rec.caller()).isEqualTo(":1.42");
            assertThat(rec.callerUid()).isZero();
        });
        assertThat(records).allSatisfy(rec -> assertThat(rec.fields().toString() + rec.message())
                .doesNotContain(SECRET).doesNotContain("new secret"));
    }

    @Test
    void unknownKeysAreAggregatedPerKeyAndSource() {
        for (int i = 0; i < 5; i++) trail.onEvent(new ServerEvent.ClientNotFound(KEY, "192.0.2.1"));
        trail.onEvent(new ServerEvent.ClientNotFound(KEY, "192.0.2.2"));
        assertThat(records).extracting(AuditRecord::peer).containsExactly("192.0.2.1", "192.0.2.2");
        nanos.addAndGet(AuditTrail.UNKNOWN_KEY_WINDOW.toNanos());
        trail.onEvent(new ServerEvent.ClientNotFound(KEY, "192.0.2.1"));
        assertThat(records.get(2).count()).isEqualTo(5); // four counted meanwhile and this one
        trail.onEvent(new ServerEvent.ClientNotFound(KEY, "192.0.2.2"));
        trail.close();
        assertThat(records.get(3).count()).isEqualTo(1);
        assertThat(records.get(3).fields()).doesNotContainKey("count");
    }

    @Test
    void checkerFailingAndRecoveringAreRecordedOnce() {
        trail.onEvent(new ServerEvent.CheckerCompleted("host1", 0, 0, "true"));
        trail.onEvent(new ServerEvent.CheckerCompleted("host1", 1, 256, "false"));
        trail.onEvent(new ServerEvent.CheckerCompleted("host1", 1, 256, "false"));
        trail.onEvent(new ServerEvent.CheckerCompleted("host1", -1, (-1 << 8) | 9, "sleep"));
        trail.onEvent(new ServerEvent.CheckerCompleted("host1", 0, 0, "true"));
        assertThat(records).extracting(AuditRecord::event)
                .containsExactly(AuditEvent.CHECKER_FAILING, AuditEvent.CHECKER_RECOVERED);
        assertThat(records.get(0).reason()).isEqualTo("exit status 1");
    }

    @Test
    void stateSaveFailingAndRecoveredAreRecordedOnTransitions() {
        trail.stateSaveRecovered();
        trail.stateSaveFailing("No space left on device");
        trail.stateSaveFailing("No space left on device");
        trail.stateSaveRecovered();
        assertThat(records).extracting(AuditRecord::event)
                .containsExactly(AuditEvent.STATE_SAVE_FAILING, AuditEvent.STATE_SAVE_RECOVERED);
    }

    @Test
    void aFailingSinkCostsAFewLinesAMinuteAndACount() {
        failing = true;
        try (org.mandosjava.testing.LogCapture log = new org.mandosjava.testing.LogCapture(AuditTrail.class)) {
            for (int i = 0; i < 100; i++) trail.stateSaveFailing("x" + i);
            for (int i = 0; i < 100; i++) {
                trail.stateSaveRecovered();
                trail.stateSaveFailing("again");
            }
            assertThat(trail.failed()).isEqualTo(201);
            assertThat(log.severe()).hasSize(AuditTrail.FAILURE_LOG_BURST);
            nanos.addAndGet(AuditTrail.FAILURE_LOG_INTERVAL.toNanos());
            trail.stateSaveRecovered();
            assertThat(log.warnings()).singleElement().asString().contains("198 more 'Audit: cannot write to memory'");
        }
    }
}
