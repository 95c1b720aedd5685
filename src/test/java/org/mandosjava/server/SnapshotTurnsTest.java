package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.state.SavedState;

/**
 * A state snapshot or a listing of many clients leaves the registry's lock free between its turns,
 * so that connections and timers go on while a large state is taken, and it still is one consistent
 * state.
 */
class SnapshotTurnsTest {
    private static final int CLIENTS = 3 * ClientMembership.TURN + 500;

    private static List<ClientConfig> configs() {
        List<ClientConfig> configs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) configs.add(TestClients.client("c" + i, "K" + i, new byte[] {1}, true));
        return configs;
    }

    private static ClientRegistry started(List<ClientConfig> configs) {
        ClientRegistry registry = new ClientRegistry(configs,
                new ManualScheduler(Instant.parse("2026-12-03T12:00:00Z")), new FakeCheckerRunner());
        registry.start();
        return registry;
    }

    /** Runs {@code change} on another thread and waits for it: it can only finish if the lock is free. */
    private static void fromAnotherThread(Runnable change) {
        try {
            CompletableFuture.runAsync(change).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the registry stayed locked between the turns of a snapshot", e);
        }
    }

    @Test
    void changesGetInBetweenTurnsAndTheSnapshotHasEveryChangeMadeBeforeIt() {
        try (ClientRegistry registry = started(configs())) {
            registry.disable("c0"); // before the snapshot: in it
            AtomicInteger turns = new AtomicInteger();
            registry.betweenTurns(() -> {
                if (turns.incrementAndGet() == 2) {
                    // The first turn is taken: c1 is in it as it was, the last client is not yet.
                    fromAnotherThread(() -> registry.disable("c1"));
                    fromAnotherThread(() -> registry.disable("c" + (CLIENTS - 1)));
                }
            });

            SavedState state = registry.snapshot();

            assertThat(turns.get()).isEqualTo(4);
            assertThat(state.clients()).hasSize(CLIENTS);
            assertThat(state.clients().keySet()).startsWith("c0", "c1", "c2").endsWith("c" + (CLIENTS - 1));
            assertThat(state.configAtSave()).hasSize(CLIENTS);
            assertThat(state.clients().get("c0").enabled()).isFalse();
            assertThat(state.clients().get("c1").enabled()).as("taken in the first turn").isTrue();
            assertThat(state.clients().get("c" + (CLIENTS - 1)).enabled()).as("taken after the change").isFalse();
            assertThat(state.clients().get("c2").enabled()).isTrue();
        }
    }

    @Test
    void aClientRemovedBetweenTurnsStartsItOverWithoutThatClient() {
        try (ClientRegistry registry = started(configs())) {
            AtomicInteger turns = new AtomicInteger();
            registry.betweenTurns(() -> {
                if (turns.incrementAndGet() == 3) fromAnotherThread(() -> registry.remove("c5"));
            });

            SavedState state = registry.snapshot();

            assertThat(turns.get()).as("three calls of a spoilt try, then four").isEqualTo(3 + 4);
            assertThat(state.clients()).hasSize(CLIENTS - 1).doesNotContainKey("c5");
            // Its section stays in the saved configuration, so that it stays removed (spec §8).
            assertThat(state.configAtSave()).hasSize(CLIENTS).containsKey("c5");
        }
    }

    @Test
    void membershipThatKeepsChangingIsTakenWholeUnderTheLock() {
        try (ClientRegistry registry = started(configs())) {
            AtomicInteger removed = new AtomicInteger();
            registry.betweenTurns(() -> {
                int n = removed.incrementAndGet();
                if (n % 2 == 0) fromAnotherThread(() -> registry.remove("c" + n));
            });

            SavedState state = registry.snapshot();

            // Three tries of two turns each, each spoilt by a removal; then the whole, with no turns.
            assertThat(removed.get()).isEqualTo(6);
            assertThat(state.clients()).hasSize(CLIENTS - 3).doesNotContainKeys("c2", "c4", "c6");
        }
    }

    @Test
    void aListingOfStatusesTooLetsChangesInBetweenTurns() {
        try (ClientRegistry registry = started(configs())) {
            AtomicInteger turns = new AtomicInteger();
            registry.betweenTurns(() -> {
                if (turns.incrementAndGet() == 2) {
                    fromAnotherThread(() -> registry.disable("c1"));
                    fromAnotherThread(() -> registry.disable("c" + (CLIENTS - 1)));
                }
            });

            List<ClientStatus> all = registry.statuses();

            assertThat(turns.get()).isEqualTo(4);
            assertThat(all).hasSize(CLIENTS);
            assertThat(all.get(1).enabled()).as("taken in the first turn").isTrue();
            assertThat(all.get(CLIENTS - 1).enabled()).as("taken after the change").isFalse();
            assertThat(all.get(CLIENTS - 1).name()).isEqualTo("c" + (CLIENTS - 1));
        }
    }

    @Test
    void aSmallRegistryIsTakenInOneGo() {
        try (ClientRegistry registry = started(configs().subList(0, ClientMembership.TURN))) {
            AtomicInteger turns = new AtomicInteger();
            registry.betweenTurns(turns::incrementAndGet);

            assertThat(registry.snapshot().clients()).hasSize(ClientMembership.TURN);
            assertThat(turns.get()).isZero();
        }
    }

    @Test
    void countsTakeTheClientsInTurnsAndCountTheDisabledOnes() {
        try (ClientRegistry registry = started(configs())) {
            registry.disable("c0");
            registry.disable("c" + (CLIENTS - 1));
            AtomicInteger turns = new AtomicInteger();
            registry.betweenTurns(() -> {
                if (turns.incrementAndGet() == 1) fromAnotherThread(() -> registry.disable("c" + (CLIENTS - 2)));
            });

            ClientRegistry.Counts counts = registry.counts();

            assertThat(turns.get()).isEqualTo(4);
            // The change made between the turns is in a turn not yet taken.
            assertThat(counts).isEqualTo(new ClientRegistry.Counts(CLIENTS, 3));
            assertThat(registry.statuses().stream().filter(c -> !c.enabled()).count()).isEqualTo(3);
        }
    }
}
