package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mandosjava.state.ClientSnapshot;

/**
 * Deadlines follow the monotonic clock: a step of the wall clock by an hour, either way, neither
 * fires nor delays a disable or an approval; the wall clock only changes what is shown.
 */
class ClockStepTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final Duration INTERVAL = Duration.ofMinutes(2);
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration DELAY = Duration.ofSeconds(30);

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeCheckerRunner checkers = new FakeCheckerRunner();
    final AtomicInteger peerChecks = new AtomicInteger();
    ClientRegistry registry;

    void start(Duration approvalDelay) {
        registry = new ClientRegistry(List.of(TestClients.client("c", "AA",
                "s".getBytes(StandardCharsets.US_ASCII), true, approvalDelay, true)), clock, checkers);
        registry.start();
    }

    boolean enabled() {
        return registry.status("c").orElseThrow().enabled();
    }

    @Test
    void aPendingDisableFiresOnTimeAfterTheWallClockStepsBack() {
        start(Duration.ZERO);
        registry.checkedOk("c"); // expiry one timeout from now
        registry.stopChecker("c");
        clock.stepWallClock(HOUR.negated());
        assertThat(registry.status("c").orElseThrow().expires()).isEqualTo(clock.now().plus(TIMEOUT));
        clock.advance(TIMEOUT.minusSeconds(1));
        assertThat(enabled()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(enabled()).as("disabled at its timeout, on the monotonic clock").isFalse();
    }

    @Test
    void aPendingDisableIsNotBroughtForwardByAStepForward() {
        start(Duration.ZERO);
        registry.checkedOk("c");
        clock.stepWallClock(HOUR);
        clock.advance(TIMEOUT.minusSeconds(1));
        assertThat(enabled()).isTrue();
    }

    @Test
    void aClientWhoseCheckerKeepsFailingIsDisabledAfterABackwardStep() {
        start(Duration.ZERO);
        boolean stepped = false;
        for (Duration waited = Duration.ZERO; enabled(); waited = waited.plusSeconds(10)) {
            assertThat(waited).as("disabled within an interval and a timeout").isLessThan(INTERVAL.plus(TIMEOUT));
            clock.advance(Duration.ofSeconds(10));
            if (!checkers.runs.isEmpty() && !stepped) {
                clock.stepWallClock(HOUR.negated());
                stepped = true;
            }
            failRunningChecker();
        }
        assertThat(stepped).isTrue();
    }

    private void failRunningChecker() {
        if (registry.status("c").orElseThrow().checkerRunning()) checkers.last().exit(1);
    }

    @Test
    void aForwardStepDoesNotShortenAnApprovalWait() throws Exception {
        start(DELAY);
        CompletableFuture<Decision> f = request();
        awaitPeerChecks(1);
        clock.stepWallClock(HOUR);
        clock.advance(DELAY.minusSeconds(1));
        // Let the waiter look at the clocks again (it asks about its peer each time it does).
        awaitPeerChecks(peerChecks.get() + 1);
        assertThat(f).as("still waiting after a wall-clock step of an hour").isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void anApprovalDurationLapsesOnTheMonotonicClock() throws Exception {
        start(DELAY);
        registry.approve("c", false); // approval_duration is one second
        clock.stepWallClock(HOUR);
        assertThat(registry.requestSecret("AA", "::1", () -> true)).isEqualTo(new Decision.Refuse("c", "Denied"));
        clock.stepWallClock(HOUR.multipliedBy(-2));
        clock.advance(Duration.ofMillis(999));
        assertThat(registry.requestSecret("AA", "::1", () -> true)).isEqualTo(new Decision.Refuse("c", "Denied"));
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.snapshot().clients().get("c").approved()).isNull();
    }

    @Test
    void restoredDeadlinesAreClampedToWhatTheClientCanBeGiven() {
        start(DELAY);
        ClientSnapshot saved = registry.snapshot().clients().get("c").withExpires(T0.plus(Duration.ofDays(10)));
        registry = new ClientRegistry(List.of(TestClients.client("c", "AA", new byte[] {1}, true, DELAY, true)),
                Map.of("c", saved), clock, checkers);
        assertThat(registry.status("c").orElseThrow().expires()).isEqualTo(T0.plus(Duration.ofMinutes(15)));

        saved = saved.withExpires(T0.minus(HOUR));
        registry = new ClientRegistry(List.of(TestClients.client("c", "AA", new byte[] {1}, true, DELAY, true)),
                Map.of("c", saved), clock, checkers);
        assertThat(registry.status("c").orElseThrow().expires()).isEqualTo(T0);
    }

    CompletableFuture<Decision> request() {
        CompletableFuture<Decision> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(registry.requestSecret("AA", "::1", () -> {
                    peerChecks.incrementAndGet();
                    return true;
                }));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Waits (bounded) until the waiting request has asked about its peer {@code n} times. */
    void awaitPeerChecks(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (peerChecks.get() < n) {
            assertThat(System.nanoTime()).as("request waiting").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
