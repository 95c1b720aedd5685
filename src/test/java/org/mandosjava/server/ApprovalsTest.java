package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Approvals} alone, against a recording registry and a manual clock. */
class ApprovalsTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration DELAY = Duration.ofSeconds(30);

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeLockedRegistry registry = new FakeLockedRegistry();
    final Approvals approvals = new Approvals(registry, clock);

    Decision decide() throws InterruptedException {
        registry.lock.lock();
        try {
            return approvals.decide(registry.clients.get("c"), "::1", () -> true);
        } finally {
            registry.lock.unlock();
        }
    }

    @Test
    void noDelayAndApprovedByDefaultSendsAtOnce() throws Exception {
        registry.add(TestClients.client("c", "AA", new byte[] {7}, true, Duration.ZERO, true), T0);
        assertThat(decide()).isInstanceOf(Decision.Send.class);
        assertThat(registry.changes).doesNotContain("c:ApprovalPending");
    }

    @Test
    void aDenialRefusesUntilItLapsesAfterTheApprovalDuration() throws Exception {
        registry.add(TestClients.client("c", "AA", new byte[] {7}, true, DELAY, true), T0);
        registry.withClient("c", c -> approvals.approve(c, false));
        assertThat(registry.saves).containsExactly(true);
        assertThat(decide()).isEqualTo(new Decision.Refuse("c", "Denied"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(registry.clients.get("c").approved).isNull();
    }

    @Test
    void aWaitEndsWithTheDefaultWhenTheDelayHasPassedOnTheClock() throws Exception {
        registry.add(TestClients.client("c", "AA", new byte[] {7}, true, DELAY, false), T0);
        CompletableFuture<Decision> f = CompletableFuture.supplyAsync(() -> {
            try {
                return decide();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.events.stream().noneMatch(e -> e instanceof ServerEvent.NeedApproval)
                || clock.pendingTasks() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        clock.advance(DELAY);
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(new Decision.Refuse("c", "Approval timed out"));
        assertThat(registry.clients.get("c").approvalsPending).isZero();
    }
}
