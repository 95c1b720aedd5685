package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A closed registry (a stopping server, which may still answer D-Bus for seconds while it withdraws)
 * starts no checker and arms no timer, whoever asks: a timer that was already running, D-Bus's
 * StartChecker, a change of interval or timeout, a bump, an approval.
 */
class RegistryCloseTest {
    static final Instant T0 = Instant.parse("2026-12-04T03:00:00Z");
    static final byte[] SECRET = "s".getBytes(StandardCharsets.US_ASCII);

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeCheckerRunner checkers = new FakeCheckerRunner();

    private ClientRegistry registry(Scheduler scheduler) {
        ClientRegistry registry = new ClientRegistry(List.of(TestClients.client("on", "AA", SECRET, true),
                TestClients.client("off", "BB", SECRET, false)), scheduler, checkers);
        registry.start();
        return registry;
    }

    @Test
    void nothingArmsTimersOrStartsCheckersAfterClose() {
        Counting scheduler = new Counting(clock, true);
        ClientRegistry registry = registry(scheduler);
        clock.advance(Duration.ofMinutes(2)); // the first checker comes within one interval
        assertThat(checkers.startsFor("on")).isEqualTo(1);
        checkers.last().exit(0);
        registry.close();
        long started = checkers.startsFor("on");
        int armed = scheduler.armed;

        // Changes still count (the final save keeps them), but they arm nothing.
        assertThat(registry.checkedOk("on")).isTrue();
        assertThat(registry.setInterval("on", Duration.ofSeconds(30))).isTrue();
        assertThat(registry.setTimeout("on", Duration.ofMinutes(1))).isTrue();
        assertThat(registry.approve("on", false)).isTrue();
        assertThat(registry.enable("off")).isTrue();
        assertThat(registry.status("off").orElseThrow().enabled()).isTrue();
        assertThat(scheduler.armed).as("timers armed by changes after the close").isEqualTo(armed);
        assertThatThrownBy(() -> registry.startChecker("on")).isInstanceOf(ServerStoppingException.class)
                .hasMessageContaining("stopping: no checker started for on");

        clock.advance(Duration.ofHours(1));
        assertThat(checkers.startsFor("on")).isEqualTo(started);
        assertThat(checkers.startsFor("off")).isZero();
        assertThat(registry.status("on").orElseThrow().enabled()).as("no expiry timer disabled it").isTrue();
        assertThat(clock.pendingTasks()).as("timers left armed").isZero();
    }

    @Test
    void aTimerAlreadyRunningWhenTheRegistryClosesArmsNothing() {
        // Cancelling a task that has begun does not stop it: here no cancel stops anything.
        Counting scheduler = new Counting(clock, false);
        ClientRegistry registry = registry(scheduler);
        registry.close();
        int armed = scheduler.armed;

        clock.advance(Duration.ofHours(1));
        assertThat(checkers.runs).isEmpty();
        assertThat(scheduler.armed).as("timers armed by tasks that ran after the close").isEqualTo(armed);
    }

    @Test
    void startCheckerWorksWhileRunning() {
        ClientRegistry registry = registry(clock);
        assertThat(registry.startChecker("on")).isTrue();
        assertThat(checkers.startsFor("on")).isEqualTo(1);
    }

    /** The clock, counting the tasks armed on it; with {@code cancellable} false, nobody can cancel one. */
    private static final class Counting implements Scheduler {
        private final ManualScheduler clock;
        private final boolean cancellable;
        int armed;

        Counting(ManualScheduler clock, boolean cancellable) {
            this.clock = clock;
            this.cancellable = cancellable;
        }

        @Override public Instant now() {
            return clock.now();
        }

        @Override public long nanoTime() {
            return clock.nanoTime();
        }

        @Override public Cancellable schedule(Duration delay, Runnable task) {
            armed++;
            Cancellable armedTask = clock.schedule(delay, task);
            return cancellable ? armedTask : () -> {};
        }

        @Override public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
            armed++;
            Cancellable armedTask = clock.scheduleAtFixedRate(initialDelay, period, task);
            return cancellable ? armedTask : () -> {};
        }
    }
}
