package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

/**
 * A checker command that cannot be formatted (a link-local host's lone {@code %}, an unknown
 * {@code %(name)s}) is that client's error: logged with file, line and client each time it is due,
 * and its check fails, so it expires; every other client is unaffected.
 */
class UnformattableCheckerTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeCheckerRunner checkers = new FakeCheckerRunner();
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Logger logger = Logger.getLogger(CheckerSupervisor.class.getName());
    final Handler handler = new Handler() {
        @Override public void publish(LogRecord r) { logged.add(r); }
        @Override public void flush() {}
        @Override public void close() {}
    };

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    static ClientConfig withChecker(String name, String keyId, String checker, int line) {
        ClientConfig c = TestClients.client(name, keyId, new byte[] {1}, true);
        return new ClientConfig(c.name(), c.keyId(), c.fingerprint(), c.secret(), "fe80::1%eth0", checker,
                c.timeout(), c.extendedTimeout(), c.interval(), c.approvalDelay(), c.approvalDuration(),
                c.approvedByDefault(), c.enabled(), Map.of(), Path.of("/etc/mandos/clients.conf"), line);
    }

    @Test
    void theBadClientFailsItsChecksAndExpiresWhileTheOthersAreServed() {
        ClientRegistry registry = new ClientRegistry(List.of(
                withChecker("linklocal", "AA", "fping -q -- fe80::1%eth0", 3),
                withChecker("typo", "BB", "fping -q -- %(hots)s", 9),
                withChecker("fine", "CC", "true", 12)), clock, checkers);
        registry.start();
        registry.startChecker("linklocal"); // as if due: logged each time, not once
        registry.startChecker("linklocal");
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(2));
            if (registry.status("fine").orElseThrow().checkerRunning()) checkers.last().exit(0);
        }
        assertThat(checkers.runs).allMatch(r -> r.client.equals("fine")).isNotEmpty();
        assertThat(registry.status("fine").orElseThrow().enabled()).isTrue();
        assertThat(registry.status("linklocal").orElseThrow().enabled()).as("its checks failed").isFalse();
        assertThat(registry.status("typo").orElseThrow().enabled()).isFalse();
        List<String> errors = logged.stream().filter(r -> r.getLevel() == Level.SEVERE)
                .map(LogRecord::getMessage).toList();
        assertThat(errors.stream().filter(m -> m.startsWith("/etc/mandos/clients.conf:3: checker: client [linklocal]")))
                .as("logged each time it was due").hasSizeGreaterThan(1);
        assertThat(errors).anyMatch(m -> m.startsWith("/etc/mandos/clients.conf:9: checker: client [typo]")
                && m.contains("%(hots)s"));
    }
}
