package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.state.ClientSnapshot;

/**
 * A server's start arms its clients' timers in turns while connections are already served. Nothing a
 * client is told depends on them, and a client touched before its turn ends up with the timers it
 * would have had if every client had been armed before anything happened (spec §4's start row).
 */
class TimersArmedInTurnsTest {
    static final Instant T0 = Instant.parse("2026-12-04T21:00:00Z");
    static final Duration INTERVAL = Duration.ofMinutes(2);
    static final Duration EXTENDED = Duration.ofMinutes(15);
    static final byte[] SECRET = "s".getBytes(StandardCharsets.US_ASCII);
    static final int CLIENTS = 2 * ClientMembership.TURN + 10;

    final ManualScheduler clock = new ManualScheduler(T0);
    final FakeCheckerRunner checkers = new FakeCheckerRunner();
    /** The arming the start handed over, not yet run. */
    final List<Runnable> arming = new ArrayList<>();
    ClientRegistry registry;
    /** Tasks armed by the start itself (key expiry reviews), before any client's timers. */
    int armedByStart;

    void start() {
        start(Map.of());
    }

    void start(Map<String, ClientSnapshot> restored) {
        List<ClientConfig> configs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) configs.add(TestClients.client("c" + i, "K" + i, SECRET, true));
        registry = new ClientRegistry(configs, restored, clock, checkers);
        registry.start(arming::add);
        assertThat(arming).hasSize(1);
        armedByStart = clock.pendingTasks();
    }

    void arm() {
        arming.remove(0).run();
    }

    Instant expires(String name) {
        return registry.status(name).orElseThrow().expires();
    }

    @Test
    void aClientIsServedBeforeTheTimersAreArmedAndAllAreArmedAfter() throws InterruptedException {
        start();
        assertThat(registry.requestSecret("K7", "::1", () -> true)).isInstanceOf(Decision.Send.class);
        assertThat(clock.pendingTasks()).as("no client's timer armed yet").isEqualTo(armedByStart);

        arm();

        assertThat(clock.pendingTasks()).as("a checker and an expiry per client").isEqualTo(armedByStart + 2 * CLIENTS);
        for (String name : List.of("c0", "c" + (CLIENTS - 1))) {
            assertThat(expires(name)).isBetween(T0.plus(INTERVAL), T0.plus(INTERVAL).plus(INTERVAL));
        }
        clock.advance(INTERVAL);
        assertThat(checkers.runs).as("every first checker within one interval").hasSize(CLIENTS);
    }

    @Test
    void aSecretSentBeforeItsTurnKeepsTheExtendedTimeoutAsIfArmedFirst() {
        start();
        registry.secretSent("c1500", "::1");
        assertThat(expires("c1500")).isEqualTo(T0.plus(EXTENDED));

        arm();

        assertThat(expires("c1500")).as("the turn leaves the armed client alone").isEqualTo(T0.plus(EXTENDED));
        assertThat(clock.pendingTasks()).as("armed once").isEqualTo(armedByStart + 2 * CLIENTS);
        clock.advance(INTERVAL);
        assertThat(checkers.startsFor("c1500")).as("its checker was armed with the expiry").isEqualTo(1);
    }

    @Test
    void aTimeoutChangedBeforeItsTurnMovesTheExpiryTheStartSet() {
        start();
        registry.setTimeout("c3", Duration.ofMinutes(10)); // 5 more minutes than the built-in timeout

        assertThat(expires("c3")).as("armed first, then moved")
                .isBetween(T0.plus(INTERVAL).plus(Duration.ofMinutes(5)), T0.plus(INTERVAL).plus(INTERVAL).plus(Duration.ofMinutes(5)));
        Instant moved = expires("c3");
        arm();
        assertThat(expires("c3")).isEqualTo(moved);
    }

    @Test
    void anIntervalChangedBeforeItsTurnLeavesTheExpiryTheStartSet() {
        start();
        registry.setInterval("c4", Duration.ofHours(1));

        assertThat(expires("c4")).as("armed with the interval it started with")
                .isBetween(T0.plus(INTERVAL), T0.plus(INTERVAL).plus(INTERVAL));
    }

    @Test
    void aClientDisabledBeforeItsTurnGetsNoTimers() {
        start();
        registry.disable("c2000");

        arm();

        assertThat(expires("c2000")).isNull();
        clock.advance(Duration.ofHours(1));
        assertThat(checkers.startsFor("c2000")).isZero();
        assertThat(checkers.startsFor("c1999")).isPositive();
    }

    @Test
    void aClientReplacedBeforeItsTurnLeavesNoTimerOfItsOldSelf() {
        start();
        registry.remove("c1200");
        registry.add(TestClients.client("c1200", "NEW", SECRET, true)); // armed as it joins

        arm();

        // An old self armed too would be two more timers, acting on the new client by name.
        assertThat(clock.pendingTasks()).isEqualTo(armedByStart + 2 * CLIENTS);
    }

    @Test
    void aRegistryClosedBetweenTurnsArmsNoMore() {
        start();
        AtomicInteger turns = new AtomicInteger();
        registry.betweenTurns(() -> {
            if (turns.incrementAndGet() == 2) registry.close();
        });

        arm();

        assertThat(turns.get()).as("no turn after the close").isEqualTo(2);
        assertThat(clock.pendingTasks()).as("the first turn's timers cancelled by the close, no others").isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(checkers.runs).isEmpty();
        assertThat(registry.status("c" + (CLIENTS - 1)).orElseThrow().enabled()).isTrue();
    }

    @Test
    void aRestoredDenialLapsesWhileTheTimersAreStillToBeArmed() throws InterruptedException {
        ClientSnapshot denied = new ClientSnapshot("c9", true, T0.minus(Duration.ofDays(1)), null, null, null, null,
                ClientSnapshot.CHECKER_NEVER_RAN, null, Duration.ofMinutes(5), EXTENDED, INTERVAL, Duration.ZERO,
                Duration.ofSeconds(1), true, "true", "", null, false, T0.plusSeconds(1), null);
        start(Map.of("c9", denied));
        assertThat(registry.requestSecret("K9", "::1", () -> true)).isInstanceOf(Decision.Refuse.class);

        clock.advance(Duration.ofSeconds(2));

        assertThat(registry.requestSecret("K9", "::1", () -> true))
                .as("the denial lapsed at its end, before any turn (approved_by_default, no delay)")
                .isInstanceOf(Decision.Send.class);
    }
}
