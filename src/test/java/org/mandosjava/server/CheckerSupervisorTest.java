package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CheckerSupervisor} alone, against a recording registry, a fake runner and a manual clock. */
class CheckerSupervisorTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeLockedRegistry registry = new FakeLockedRegistry();
    final FakeCheckerRunner runner = new FakeCheckerRunner();
    final CheckerSupervisor checkers = new CheckerSupervisor(registry, clock, runner);

    @BeforeEach
    void setUp() {
        registry.add(TestClients.client("c", "AA", new byte[] {1}, true), T0);
    }

    @Test
    void aSuccessIsACheckedOkAndAFailureIsRecorded() {
        registry.withClient("c", checkers::start);
        assertThat(runner.last().command).isEqualTo("true");
        assertThat(registry.events).contains(new ServerEvent.CheckerStarted("c", "true"));
        runner.last().exit(0);
        assertThat(registry.checkedOk).containsExactly("c");

        registry.withClient("c", checkers::start);
        runner.last().exit(3);
        assertThat(registry.checkedOk).hasSize(1);
        assertThat(registry.clients.get("c").lastCheckerStatus).isEqualTo(3);
        assertThat(registry.clients.get("c").runningChecker).isNull();
    }

    @Test
    void aRunningCheckerIsLeftAloneAndAHungOneIsKilledAfterItsInterval() {
        registry.withClient("c", checkers::start);
        registry.withClient("c", checkers::start);
        assertThat(runner.runs).hasSize(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(runner.last().killed).isTrue();
        runner.last().exit(0); // its end after the kill is no news
        assertThat(registry.checkedOk).isEmpty();
    }

    @Test
    void aStopBeforeTheProcessExistsKillsItOnceItDoes() {
        List<Runnable> deferred = new ArrayList<>();
        checkers.setExecutor(deferred::add);
        registry.withClient("c", checkers::start);
        registry.withClient("c", checkers::stop);
        deferred.forEach(Runnable::run);
        assertThat(runner.last().killed).isTrue();
    }

    @Test
    void aProcessForAClientThatIsGoneIsKilled() {
        List<Runnable> deferred = new ArrayList<>();
        checkers.setExecutor(deferred::add);
        registry.withClient("c", checkers::start);
        registry.clients.remove("c");
        deferred.forEach(Runnable::run);
        assertThat(runner.last().killed).isTrue();
    }
}
