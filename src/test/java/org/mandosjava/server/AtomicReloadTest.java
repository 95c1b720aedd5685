package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A reload merges the new clients.conf with the live state; a change made while it merges (an
 * operator's disable over D-Bus) must not be overwritten by the state the merge started from.
 */
class AtomicReloadTest {
    final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-12-02T12:00:00Z"));
    final ClientRegistry registry = new ClientRegistry(
            List.of(TestClients.client("box", "AA", new byte[] {1}, true)), clock, new FakeCheckerRunner());

    /** The edited section replaces the client, keeping the runtime state the merge was given. */
    ClientRegistry.Reconfiguration keepLiveState(org.mandosjava.state.SavedState live) {
        return new ClientRegistry.Reconfiguration(
                List.of(TestClients.client("box", "AA", new byte[] {2}, true)),
                Map.of("box", live.clients().get("box")));
    }

    @Test
    void aDisableDuringTheMergeSurvivesTheReload() {
        AtomicInteger merges = new AtomicInteger();
        registry.reconfigure(live -> {
            if (merges.incrementAndGet() == 1) registry.disable("box"); // lands between snapshot and install
            return keepLiveState(live);
        });
        assertThat(merges).hasValue(2);
        assertThat(registry.status("box").orElseThrow().enabled()).isFalse();
    }

    @Test
    void aServerThatNeverStopsChangingStillReloads() {
        AtomicInteger merges = new AtomicInteger();
        registry.reconfigure(live -> {
            merges.incrementAndGet();
            registry.checkedOk("box"); // a change every time: the last merge is made under the lock
            return keepLiveState(live);
        });
        assertThat(merges.get()).isGreaterThan(1);
        assertThat(registry.status("box").orElseThrow().enabled()).isTrue();
    }
}
