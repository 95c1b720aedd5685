package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;

/** {@code %(dbus_object_path)s} in a checker is the path the control layer gave the client. */
class ObjectPathAttributeTest {
    final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-11-26T12:00:00Z"));
    final FakeCheckerRunner checkers = new FakeCheckerRunner();
    final ClientRegistry registry;

    ObjectPathAttributeTest() {
        ClientConfig c = TestClients.client("a b", "AA", new byte[] {1}, true);
        registry = new ClientRegistry(List.of(new ClientConfig(c.name(), c.keyId(), c.fingerprint(), c.secret(),
                c.host(), "echo %(dbus_object_path)s", c.timeout(), c.extendedTimeout(), c.interval(),
                c.approvalDelay(), c.approvalDuration(), c.approvedByDefault(), c.enabled(), Map.of(),
                Path.of("clients.conf"), 1)), clock, checkers);
    }

    @Test
    void itIsThePathTheControlLayerAssigned() {
        registry.setObjectPaths(name -> name.equals("a b") ? "/clients/_a_20b" : null);
        registry.startChecker("a b");
        assertThat(checkers.last().command).isEqualTo("echo /clients/_a_20b");
    }

    @Test
    void withoutDBusTheAttributeDoesNotExistAndTheCheckFails() {
        registry.startChecker("a b");
        assertThat(checkers.runs).isEmpty();
        assertThat(registry.status("a b").orElseThrow().checkerRunning()).isFalse();
    }
}
