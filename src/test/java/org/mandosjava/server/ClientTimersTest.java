package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every row of the spec's timer table (§4), on a clock that moves only when the test says so. */
class ClientTimersTest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final Duration EXTENDED = Duration.ofMinutes(15);
    static final Duration INTERVAL = Duration.ofMinutes(2);

    ManualScheduler clock;
    FakeCheckerRunner checkers;
    ClientRegistry registry;
    final List<ServerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new ManualScheduler(T0);
        checkers = new FakeCheckerRunner();
        registry = new ClientRegistry(List.of(
                TestClients.client("on", "AA", "s".getBytes(StandardCharsets.US_ASCII), true),
                TestClients.client("off", "BB", "s".getBytes(StandardCharsets.US_ASCII), false)), clock, checkers);
        registry.addListener(events::add);
        registry.start();
    }

    ClientStatus status(String name) {
        return registry.status(name).orElseThrow();
    }

    Instant now() {
        return clock.now();
    }

    /** Advances to the first checker start (it comes within one interval of the server start). */
    Duration advanceToFirstChecker() {
        Duration step = Duration.ofSeconds(1);
        Duration waited = Duration.ZERO;
        while (checkers.startsFor("on") == 0) {
            assertThat(waited).isLessThanOrEqualTo(INTERVAL);
            clock.advance(step);
            waited = waited.plus(step);
        }
        return waited;
    }

    @Test
    void startupArmsARandomFirstCheckAndExpiryAtDelayPlusInterval() {
        Instant expires = status("on").expires();
        assertThat(expires).isBetween(T0.plus(INTERVAL), T0.plus(INTERVAL).plus(INTERVAL));
        assertThat(status("off").expires()).isNull();
        assertThat(checkers.runs).isEmpty();

        Duration delay = advanceToFirstChecker();
        // The delay after which the first checker ran is the one the expiry was computed from.
        assertThat(expires).isBetween(T0.plus(delay).minusSeconds(1).plus(INTERVAL), T0.plus(delay).plus(INTERVAL));
        assertThat(status("on").expires()).isAfterOrEqualTo(now().plus(INTERVAL).minusSeconds(1));
        assertThat(checkers.startsFor("off")).isZero();
    }

    @Test
    void checkersRepeatEveryIntervalWithoutDrift() {
        advanceToFirstChecker();
        Instant first = now();
        checkers.last().exit(0);
        for (int i = 1; i <= 5; i++) {
            clock.advance(INTERVAL);
            assertThat(checkers.startsFor("on")).isEqualTo(i + 1);
            assertThat(now()).isEqualTo(first.plus(INTERVAL.multipliedBy(i)));
            checkers.last().exit(0);
        }
    }

    @Test
    void randomFirstDelaysSpreadThousandsOfClientsOverTheInterval() {
        var many = new java.util.ArrayList<org.mandosjava.config.ClientConfig>();
        for (int i = 0; i < 1000; i++) many.add(TestClients.client("c" + i, "K" + i, new byte[] {1}, true));
        ManualScheduler c = new ManualScheduler(T0);
        FakeCheckerRunner runner = new FakeCheckerRunner();
        new ClientRegistry(many, c, runner).start();
        int[] perQuarter = new int[4];
        for (int q = 0; q < 4; q++) {
            int before = runner.runs.size();
            c.advance(INTERVAL.dividedBy(4));
            perQuarter[q] = runner.runs.size() - before;
        }
        assertThat(runner.runs).hasSize(1000);
        // Uniform over the interval: each quarter gets about 250, never a burst of all of them.
        for (int n : perQuarter) assertThat(n).isBetween(150, 350);
    }

    @Test
    void successfulCheckerSetsExpiryToNowPlusTimeout() {
        advanceToFirstChecker();
        clock.advance(Duration.ofSeconds(3));
        checkers.last().exit(0);
        ClientStatus s = status("on");
        assertThat(s.expires()).isEqualTo(now().plus(TIMEOUT));
        assertThat(s.lastCheckedOk()).isEqualTo(now());
        assertThat(s.lastCheckerStatus()).isZero();
        assertThat(s.checkerRunning()).isFalse();
        assertThat(events).contains(new ServerEvent.CheckerCompleted("on", 0, 0, "true"));
    }

    @Test
    void failingCheckerRecordsStatusAndLeavesExpiry() {
        advanceToFirstChecker();
        Instant expires = status("on").expires();
        checkers.last().exit(3);
        assertThat(status("on").lastCheckerStatus()).isEqualTo(3);
        assertThat(status("on").expires()).isEqualTo(expires);
        assertThat(events).contains(new ServerEvent.CheckerCompleted("on", 3, 3 << 8, "true"));
    }

    @Test
    void checkerKilledBySignalRecordsMinusOneAndTheSignal() {
        advanceToFirstChecker();
        checkers.last().killedBy(9);
        assertThat(status("on").lastCheckerStatus()).isEqualTo(-1);
        assertThat(status("on").lastCheckerSignal()).isEqualTo(9);
        assertThat(events).contains(new ServerEvent.CheckerCompleted("on", -1, -247, "true"));
    }

    @Test
    void aClientWhoseFirstCheckerFailsIsDisabledAtItsFirstExpiry() {
        Instant expires = status("on").expires();
        advanceToFirstChecker();
        checkers.last().exit(1);
        clock.advance(Duration.between(now(), expires).minusMillis(1));
        assertThat(status("on").enabled()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(status("on").enabled()).isFalse();
        assertThat(status("on").expires()).isNull();
        long starts = checkers.startsFor("on");
        clock.advance(INTERVAL.multipliedBy(5));
        assertThat(checkers.startsFor("on")).as("no checkers for a disabled client").isEqualTo(starts);
        assertThat(status("on").enabled()).as("stays disabled").isFalse();
    }

    @Test
    void checkersFailingAfterASuccessDisableTheClientTimeoutAfterTheSuccessAndKillTheChecker() {
        advanceToFirstChecker();
        checkers.last().exit(0);
        Instant deadline = now().plus(TIMEOUT);
        clock.advance(INTERVAL);
        checkers.last().exit(1);
        clock.advance(INTERVAL);
        FakeCheckerRunner.Run hanging = checkers.last(); // the third never ends
        clock.advance(Duration.between(now(), deadline).minusMillis(1));
        assertThat(status("on").enabled()).isTrue();
        assertThat(hanging.killed).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(status("on").enabled()).isFalse();
        assertThat(hanging.killed).isTrue();
        assertThat(status("on").lastCheckerStatus()).isEqualTo(1);
    }

    @Test
    void aCheckerStillRunningAtTheNextTickIsLeftAloneAndKilledAfterItsInterval() {
        advanceToFirstChecker();
        FakeCheckerRunner.Run first = checkers.last();
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(checkers.startsFor("on")).isEqualTo(1);
        assertThat(first.killed).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(first.killed).as("killed once it ran a whole interval").isTrue();
    }

    @Test
    void secretSentSetsExpiryToNowPlusExtendedTimeout() {
        registry.secretSent("on", "::1");
        assertThat(status("on").expires()).isEqualTo(now().plus(EXTENDED));
        assertThat(events).contains(new ServerEvent.SecretSent("on", "::1"));
    }

    @Test
    void checkerSuccessAfterASecretMayShortenTheExpiry() {
        registry.secretSent("on", "::1");
        advanceToFirstChecker();
        checkers.last().exit(0);
        assertThat(status("on").expires()).isEqualTo(now().plus(TIMEOUT));
    }

    @Test
    void enableArmsCheckerAfterOneIntervalAndExpiryAtTwoIntervals() {
        clock.advance(Duration.ofMinutes(1));
        assertThat(registry.enable("off")).isTrue();
        ClientStatus s = status("off");
        assertThat(s.enabled()).isTrue();
        assertThat(s.lastEnabled()).isEqualTo(now());
        assertThat(s.expires()).isEqualTo(now().plus(INTERVAL.multipliedBy(2)));
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(checkers.startsFor("off")).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(checkers.startsFor("off")).isEqualTo(1);
    }

    @Test
    void enablingAnEnabledClientChangesNothing() {
        Instant expires = status("on").expires();
        Instant lastEnabled = status("on").lastEnabled();
        events.clear();
        registry.enable("on");
        assertThat(status("on").expires()).isEqualTo(expires);
        assertThat(status("on").lastEnabled()).isEqualTo(lastEnabled);
        assertThat(events).isEmpty();
    }

    @Test
    void disableCancelsTimersAndClearsExpiry() {
        advanceToFirstChecker();
        FakeCheckerRunner.Run running = checkers.last();
        registry.disable("on");
        assertThat(status("on").enabled()).isFalse();
        assertThat(status("on").expires()).isNull();
        assertThat(running.killed).isTrue();
        assertThat(status("on").checkerRunning()).isFalse();
    }

    @Test
    void settingTimeoutShiftsExpiryByTheDifference() {
        Instant expires = status("on").expires();
        registry.setTimeout("on", TIMEOUT.plusMinutes(3));
        assertThat(status("on").expires()).isEqualTo(expires.plus(Duration.ofMinutes(3)));
        assertThat(status("on").timeout()).isEqualTo(TIMEOUT.plusMinutes(3));
    }

    @Test
    void settingTimeoutIntoThePastDisablesAtOnce() {
        registry.setTimeout("on", Duration.ZERO);
        assertThat(status("on").enabled()).isFalse();
    }

    @Test
    void settingIntervalStartsACheckerNowAndReschedules() {
        registry.setInterval("on", Duration.ofMinutes(1));
        assertThat(checkers.startsFor("on")).isEqualTo(1);
        checkers.last().exit(0);
        clock.advance(Duration.ofMinutes(1));
        assertThat(checkers.startsFor("on")).isEqualTo(2);
    }

    @Test
    void checkedOkActsLikeASuccessfulChecker() {
        clock.advance(Duration.ofSeconds(10));
        registry.checkedOk("on");
        assertThat(status("on").expires()).isEqualTo(now().plus(TIMEOUT));
        assertThat(status("on").lastCheckedOk()).isEqualTo(now());
    }

    @Test
    void checkedOkOnADisabledClientRecordsTheCheckButDoesNotEnableIt() {
        registry.checkedOk("off");
        assertThat(status("off").lastCheckedOk()).isEqualTo(now());
        assertThat(status("off").enabled()).isFalse();
        assertThat(status("off").expires()).isNull();
    }

    @Test
    void removedClientIsForgottenAndItsCheckerKilled() {
        advanceToFirstChecker();
        FakeCheckerRunner.Run running = checkers.last();
        assertThat(registry.remove("on")).isTrue();
        assertThat(registry.status("on")).isEmpty();
        assertThat(running.killed).isTrue();
        assertThat(events).contains(new ServerEvent.ClientRemoved("on"));
        clock.advance(INTERVAL.multipliedBy(3));
        assertThat(checkers.startsFor("on")).isEqualTo(1);
    }
}
