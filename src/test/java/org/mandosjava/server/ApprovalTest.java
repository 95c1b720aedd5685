package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Approval decisions (spec §5.7), with the wait driven by a manual clock. */
class ApprovalTest {
    static final Duration DELAY = Duration.ofSeconds(30);

    final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-11-26T12:00:00Z"));
    final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean peerAlive = new AtomicBoolean(true);
    ClientRegistry registry;

    void start(Duration delay, boolean approvedByDefault) {
        registry = new ClientRegistry(List.of(TestClients.client("c", "AA", new byte[] {42}, true, delay,
                approvedByDefault)), clock, new FakeCheckerRunner());
        registry.addListener(events::add);
    }

    CompletableFuture<Decision> request() {
        CompletableFuture<Decision> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(registry.requestSecret("AA", "::1", peerAlive::get));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Waits (bounded) until the request is parked waiting for a decision. */
    void awaitWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.stream().noneMatch(e -> e instanceof ServerEvent.NeedApproval)) {
            assertThat(System.nanoTime()).as("request waiting").isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(registry.status("c").orElseThrow().approvalPending()).isTrue();
    }

    static Decision result(CompletableFuture<Decision> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void approveReleasesAWaitingClient() throws Exception {
        start(DELAY, false);
        var f = request();
        awaitWaiting();
        assertThat(events).contains(new ServerEvent.NeedApproval("c", DELAY, false));
        assertThat(registry.status("c").orElseThrow().lastApprovalRequest()).isEqualTo(clock.now());
        clock.advance(Duration.ofSeconds(5));
        registry.approve("c", true);
        assertThat(result(f)).isInstanceOf(Decision.Send.class);
        assertThat(registry.status("c").orElseThrow().approvalPending()).isFalse();
    }

    @Test
    void denyRefusesAWaitingClient() throws Exception {
        start(DELAY, true);
        var f = request();
        awaitWaiting();
        registry.approve("c", false);
        assertThat(result(f)).isEqualTo(new Decision.Refuse("c", "Denied"));
        assertThat(events).contains(new ServerEvent.Rejected("c", "::1", "Denied"));
    }

    @Test
    void timeoutRefusesWhenNotApprovedByDefault() throws Exception {
        start(DELAY, false);
        var f = request();
        awaitWaiting();
        clock.advance(DELAY.minusSeconds(1));
        assertThat(f).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(result(f)).isEqualTo(new Decision.Refuse("c", "Approval timed out"));
    }

    @Test
    void timeoutSendsWhenApprovedByDefault() throws Exception {
        start(DELAY, true);
        var f = request();
        awaitWaiting();
        clock.advance(DELAY);
        assertThat(result(f)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void anApprovalHoldsForApprovalDurationAndThenLapses() throws Exception {
        start(DELAY, false);
        registry.approve("c", true); // before the client even asks
        assertThat(result(request())).isInstanceOf(Decision.Send.class);
        clock.advance(Duration.ofSeconds(1)); // approval_duration
        var f = request();
        awaitWaiting();
        assertThat(f).isNotDone();
        clock.advance(DELAY);
        assertThat(result(f)).isEqualTo(new Decision.Refuse("c", "Approval timed out"));
    }

    @Test
    void disablingAWaitingClientRefusesItAtOnce() throws Exception {
        start(DELAY, true);
        var f = request();
        awaitWaiting();
        registry.disable("c");
        assertThat(result(f)).isEqualTo(new Decision.Refuse("c", "Disabled"));
    }

    @Test
    void theWaitEndsWhenThePeerLeaves() throws Exception {
        start(Duration.ofHours(1), true);
        var f = request();
        awaitWaiting();
        peerAlive.set(false);
        assertThat(result(f)).isEqualTo(new Decision.Abandoned("c"));
        assertThat(registry.status("c").orElseThrow().approvalPending()).isFalse();
        assertThat(events).contains(new ServerEvent.PeerLeft("c", "::1"));
    }

    @Test
    void zeroDelaySendsAtOnceWhenApprovedByDefault() throws Exception {
        start(Duration.ZERO, true);
        assertThat(result(request())).isInstanceOf(Decision.Send.class);
        assertThat(events).noneMatch(e -> e instanceof ServerEvent.NeedApproval);
    }

    @Test
    void zeroDelayWithoutDefaultApprovalRefusesUnlessApproved() throws Exception {
        // The original sends anyway (spec §15.3 item 2); the configuration says otherwise.
        start(Duration.ZERO, false);
        assertThat(result(request())).isEqualTo(new Decision.Refuse("c", "Approval timed out"));
        registry.approve("c", true);
        assertThat(result(request())).isInstanceOf(Decision.Send.class);
    }

    @Test
    void zeroDelayHonoursAnActiveDenial() throws Exception {
        start(Duration.ZERO, true);
        registry.approve("c", false);
        assertThat(result(request())).isEqualTo(new Decision.Refuse("c", "Denied"));
    }

    @Test
    void manyWaitersAreAllReleasedByOneApproval() throws Exception {
        start(DELAY, false);
        List<CompletableFuture<Decision>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) waiting.add(request());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.stream().filter(e -> e instanceof ServerEvent.NeedApproval).count() < 200) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        registry.approve("c", true);
        for (var f : waiting) assertThat(result(f)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void aDenialSurvivesARestartUntilItLapses() throws Exception {
        registry = new ClientRegistry(List.of(TestClients.client("c", "AA", new byte[] {42}, true, DELAY, true)),
                clock, new FakeCheckerRunner());
        registry.approve("c", false);
        var saved = registry.snapshot().clients().get("c");
        assertThat(saved.approved()).isFalse();
        assertThat(saved.approvedUntil()).isEqualTo(clock.now().plusSeconds(1));

        // A new server from that state: the denial holds until its end, then lapses.
        registry = new ClientRegistry(List.of(TestClients.client("c", "AA", new byte[] {42}, true, DELAY, true)),
                java.util.Map.of("c", saved), clock, new FakeCheckerRunner());
        registry.addListener(events::add);
        registry.start();
        assertThat(result(request())).isEqualTo(new Decision.Refuse("c", "Denied"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(registry.snapshot().clients().get("c").approved()).isNull();
        var f = request();
        awaitWaiting();
        clock.advance(DELAY);
        assertThat(result(f)).as("default approval after the denial lapsed").isInstanceOf(Decision.Send.class);
    }
}
