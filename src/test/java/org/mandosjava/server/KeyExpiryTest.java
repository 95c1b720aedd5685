package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.state.ClientSnapshot;

/**
 * Key expiry on the injectable clocks: the warning window and its daily repetition, refusal at the
 * date (also after a wall-clock step), extension, restart and rotation by reload.
 */
class KeyExpiryTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final String KEY = "AA";
    static final String NEW_KEY = "BB";
    static final byte[] SECRET = "s".getBytes(StandardCharsets.US_ASCII);

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeCheckerRunner checkers = new FakeCheckerRunner();
    final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Logger logger = Logger.getLogger(KeyExpiryPolicy.class.getName());
    final Handler handler = new Handler() {
        @Override public void publish(LogRecord r) { logged.add(r); }
        @Override public void flush() {}
        @Override public void close() {}
    };
    ClientRegistry registry;

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(handler);
        if (registry != null) registry.close();
    }

    /** A client whose key expires at {@code expires} (clients.conf text), warned {@code warning} ahead. */
    static ClientConfig client(String keyId, String expires, String warning) {
        return client(TestClients.client("c", keyId, SECRET, true), expires, warning);
    }

    static ClientConfig client(ClientConfig c, String expires, String warning) {
        String keyId = c.keyId();
        Map<String, String> options = new HashMap<>(c.options());
        if (expires != null) options.put("key_expires", expires);
        if (warning != null) options.put("key_expiry_warning", warning);
        options.put("key_id", keyId);
        // Checkers that never end would disable it; the timeout and interval outlast every test.
        Duration century = Duration.ofDays(36_500);
        return new ClientConfig(c.name(), c.keyId(), c.fingerprint(), c.secret(), c.host(), c.checker(), century,
                century, century, c.approvalDelay(), c.approvalDuration(), c.approvedByDefault(),
                c.enabled(), options, c.file(), c.line());
    }

    void start(ClientConfig config, Map<String, ClientSnapshot> restored) {
        registry = new ClientRegistry(List.of(config), restored, clock, checkers);
        registry.addListener(events::add);
        registry.start();
    }

    Decision request(String keyId) throws InterruptedException {
        return registry.requestSecret(keyId, "192.0.2.1:1234", () -> true);
    }

    List<String> warnings(String containing) {
        return logged.stream().filter(r -> r.getLevel() == Level.WARNING)
                .map(LogRecord::getMessage).filter(m -> m.contains(containing)).toList();
    }

    @Test
    void warnsWithinTheWarningTimeOnceADay() {
        start(client(KEY, "2026-12-16T12:00:00Z", "14d"), Map.of()); // 20 days ahead
        assertThat(warnings("expires")).isEmpty();
        clock.advance(Duration.ofDays(6).minusHours(1));
        assertThat(warnings("expires")).as("19 days ahead: not yet").isEmpty();
        clock.advance(Duration.ofHours(1));
        assertThat(warnings("expires")).containsExactly("Client c: its key expires at 2026-12-16T12:00:00Z"
                + " (in 14 days); rotate its keys (mandos-keygen, new section, SIGHUP) or extend its key_expires");
        clock.advance(Duration.ofHours(23));
        assertThat(warnings("expires")).as("hourly reviews do not repeat it within a day").hasSize(1);
        clock.advance(Duration.ofHours(1));
        assertThat(warnings("expires")).hasSize(2).last().asString().contains("(in 13 days)");
    }

    @Test
    void theDefaultWarningTimeIsFourteenDays() {
        start(client(KEY, "2026-12-10T12:00:00Z", null), Map.of()); // 14 days ahead
        assertThat(warnings("expires")).as("warned at start").hasSize(1);
    }

    @Test
    void anExpiredKeyIsRefusedWithItsReasonAndLoggedOnce() throws Exception {
        start(client(KEY, "2026-11-26T13:00:00Z", "1d"), Map.of());
        assertThat(request(KEY)).isInstanceOf(Decision.Send.class);
        clock.advance(Duration.ofMinutes(59));
        assertThat(request(KEY)).isInstanceOf(Decision.Send.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(request(KEY)).isEqualTo(new Decision.Refuse("c", "key expired"));
        assertThat(events).contains(new ServerEvent.Rejected("c", "192.0.2.1:1234", "key expired"));
        assertThat(registry.status("c").orElseThrow().keyExpires()).isEqualTo(Instant.parse("2026-11-26T13:00:00Z"));
        clock.advance(Duration.ofDays(3));
        assertThat(request(KEY)).isEqualTo(new Decision.Refuse("c", "key expired"));
        assertThat(warnings("expired")).containsExactly("Client c: its key expired at 2026-11-26T13:00:00Z;"
                + " it is refused until its keys are rotated or its key_expires is extended");
    }

    @Test
    void aWallClockStepIsHonouredAtTheNextRequest() throws Exception {
        start(client(KEY, "2026-11-27", "1h"), Map.of());
        clock.stepWallClock(Duration.ofDays(2));
        assertThat(request(KEY)).as("no timer needed: the date is read at the request")
                .isEqualTo(new Decision.Refuse("c", "key expired"));
        clock.stepWallClock(Duration.ofDays(-2));
        assertThat(request(KEY)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void aWallClockStepIsNoticedByTheNextReview() {
        start(client(KEY, "2026-11-27", "1h"), Map.of());
        clock.stepWallClock(Duration.ofDays(2));
        assertThat(warnings("expired")).isEmpty();
        clock.advance(KeyExpiryPolicy.REVIEW_PERIOD);
        assertThat(warnings("expired")).hasSize(1);
    }

    @Test
    void anExtensionUnlocksAgainAndIsAnnounced() throws Exception {
        start(client(KEY, "2026-11-26T13:00:00Z", "1d"), Map.of());
        clock.advance(Duration.ofHours(2));
        assertThat(request(KEY)).isInstanceOf(Decision.Refuse.class);
        Instant later = Instant.parse("2027-06-30T00:00:00Z");
        assertThat(registry.setKeyExpires("c", later)).isTrue();
        assertThat(registry.setKeyExpires("nobody", later)).isFalse();
        assertThat(registry.status("c").orElseThrow().keyExpires()).isEqualTo(later);
        assertThat(events).contains(new ServerEvent.PropertiesChanged("c", java.util.Set.of("KeyExpires")));
        assertThat(request(KEY)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void aRestartKeepsTheRefusalAndAnExtension() throws Exception {
        ClientConfig config = client(KEY, "2026-11-26T13:00:00Z", "1d");
        start(config, Map.of());
        clock.advance(Duration.ofHours(2));
        ClientSnapshot saved = registry.snapshot().clients().get("c");
        assertThat(saved.keyExpires()).as("nothing stored: the refusal follows from the date").isNull();
        registry.close();

        start(config, Map.of("c", saved));
        assertThat(request(KEY)).isEqualTo(new Decision.Refuse("c", "key expired"));
        Instant later = Instant.parse("2027-06-30T00:00:00Z");
        registry.setKeyExpires("c", later);
        saved = registry.snapshot().clients().get("c");
        assertThat(saved.keyExpires()).isEqualTo(later);
        registry.close();

        start(config, Map.of("c", saved));
        assertThat(registry.status("c").orElseThrow().keyExpires()).isEqualTo(later);
        assertThat(request(KEY)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void aReloadWithARotatedSectionUnlocksWithTheNewKey() throws Exception {
        start(client(KEY, "2026-11-26T13:00:00Z", "1d"), Map.of());
        clock.advance(Duration.ofHours(2));
        assertThat(request(KEY)).isInstanceOf(Decision.Refuse.class);

        registry.reconfigure(List.of(client(NEW_KEY, "2027-11-26T13:00:00Z", "1d")));
        assertThat(request(KEY)).isInstanceOf(Decision.Unknown.class);
        assertThat(request(NEW_KEY)).isInstanceOf(Decision.Send.class);
        assertThat(registry.status("c").orElseThrow().keyExpires()).isEqualTo(Instant.parse("2027-11-26T13:00:00Z"));
    }

    @Test
    void aRequestWaitingForApprovalIsRefusedWhenTheKeyExpiresMeanwhile() throws Exception {
        start(client(TestClients.client("c", KEY, SECRET, true, Duration.ofMinutes(5), false),
                "2026-11-26T12:01:00Z", "1h"), Map.of());
        java.util.concurrent.CompletableFuture<Decision> f = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(request(KEY));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.stream().noneMatch(e -> e instanceof ServerEvent.NeedApproval)) {
            assertThat(System.nanoTime()).as("request waiting").isLessThan(deadline);
            Thread.sleep(5); // polling, bounded by the deadline
        }
        clock.stepWallClock(Duration.ofMinutes(2)); // no timer fires: the wait looks at the date itself
        assertThat(f.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Decision.Refuse("c", "key expired"));
    }

    @Test
    void aClientWithoutKeyExpiresNeverExpires() throws Exception {
        start(client(KEY, null, null), Map.of());
        clock.advance(Duration.ofDays(3650));
        assertThat(request(KEY)).isInstanceOf(Decision.Send.class);
        assertThat(registry.status("c").orElseThrow().keyExpires()).isNull();
        assertThat(logged).isEmpty();
    }
}
