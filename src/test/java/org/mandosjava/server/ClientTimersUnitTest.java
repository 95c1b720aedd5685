package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ClientTimers} alone, against a recording registry and a manual clock. */
class ClientTimersUnitTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration INTERVAL = Duration.ofMinutes(2);

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeLockedRegistry registry = new FakeLockedRegistry();
    final ClientTimers timers = new ClientTimers(registry, clock);

    @BeforeEach
    void setUp() {
        registry.add(TestClients.client("c", "AA", new byte[] {1}, true), T0);
    }

    @Test
    void afterAnEnableCheckersRunEveryIntervalAndTheClientExpiresAfterTwo() {
        registry.withClient("c", c -> timers.init(c, false));
        clock.advance(INTERVAL);
        assertThat(registry.due).containsExactly("c");
        assertThat(registry.disabled).isEmpty();
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(registry.disabled).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(registry.disabled).containsExactly("c");
    }

    @Test
    void aBumpMovesTheDisableToItsNewTime() {
        registry.withClient("c", c -> timers.init(c, false));
        clock.advance(INTERVAL);
        registry.withClient("c", c -> timers.bumpTimeout(c, Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(9));
        assertThat(registry.disabled).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(registry.disabled).containsExactly("c");
    }

    @Test
    void aTimeoutShortenedIntoThePastDisablesAtOnce() {
        registry.withClient("c", c -> timers.bumpTimeout(c, c.timeout));
        clock.advance(Duration.ofMinutes(3));
        registry.withClient("c", c -> {
            Duration old = c.timeout;
            c.timeout = Duration.ofMinutes(1);
            timers.timeoutChanged(c, old);
        });
        assertThat(registry.disabled).containsExactly("c");
    }

    @Test
    void cancelStopsEveryTimer() {
        registry.withClient("c", c -> timers.init(c, true));
        registry.withClient("c", timers::cancel);
        clock.advance(Duration.ofHours(1));
        assertThat(registry.due).isEmpty();
        assertThat(registry.disabled).isEmpty();
        assertThat(clock.pendingTasks()).isZero();
    }
}
