package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two sections with one key_id: the first gets the secret, and the other once the first is gone. */
class SharedKeyIdTest {
    final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-11-26T12:00:00Z"));
    final ClientRegistry registry = new ClientRegistry(List.of(
            TestClients.client("first", "AA", new byte[] {1}, true),
            TestClients.client("second", "AA", new byte[] {2}, true)), clock, new FakeCheckerRunner());

    /** The name of the client that gets the secret for key_id AA, or null. */
    String ask() throws InterruptedException {
        return registry.requestSecret("AA", "::1", () -> true) instanceof Decision.Send send ? send.clientName() : null;
    }

    @Test
    void removingTheFirstLeavesTheSecondReachable() throws Exception {
        assertThat(ask()).isEqualTo("first");
        registry.remove("first");
        assertThat(ask()).isEqualTo("second");
    }

    @Test
    void aReloadWithoutTheFirstLeavesTheSecondReachable() throws Exception {
        registry.reconfigure(List.of(TestClients.client("second", "AA", new byte[] {2}, true)));
        assertThat(ask()).isEqualTo("second");
    }
}
