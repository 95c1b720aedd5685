package org.mandosjava.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.Decision;
import org.mandosjava.server.ManualScheduler;

/** One in-process server of a cluster on a {@link MemoryStore}: a real registry, a real node, a manual clock. */
final class TestServer implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** Long enough that a loaded machine does not make a change unconfirmed by a server that is there. */
    static final Duration CONFIRM = Duration.ofSeconds(2);

    final String id;
    final ManualScheduler clock = new ManualScheduler(START);
    final ClientRegistry registry;
    final MemoryStore.Connection connection;
    ClusterNode node;

    TestServer(MemoryStore store, String id, List<ClientConfig> clients) {
        this(store, id, clients, Map.of(), true);
    }

    TestServer(MemoryStore store, String id, List<ClientConfig> clients, Map<String, org.mandosjava.state.ClientSnapshot> cache,
            boolean join) {
        this.id = id;
        this.registry = new ClientRegistry(clients, cache, clock, new CheckerRunner());
        this.connection = store.connect();
        if (join) join(CONFIRM);
    }

    void join(Duration confirmTimeout) {
        join(confirmTimeout, false);
    }

    void join(Duration confirmTimeout, boolean serveColdCache) {
        join(confirmTimeout, serveColdCache, null);
    }

    void join(Duration confirmTimeout, boolean serveColdCache, Duration strictAfter) {
        ClusterOptions options = new ClusterOptions(id, confirmTimeout, strictAfter, Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofMillis(20), serveColdCache);
        node = ClusterNode.join(options, connection, registry, clock::now);
    }

    /** What a peer proving {@code keyId} gets now. */
    Decision request(String keyId) throws InterruptedException {
        return registry.requestSecret(keyId, "[::1]:1", () -> true);
    }

    ClientStatus status(String name) {
        return registry.status(name).orElseThrow();
    }

    static String keyId(String name) {
        return String.format("%064x", name.hashCode() & 0xffffffffL);
    }

    static ClientConfig client(String name, boolean enabled) {
        return new ClientConfig(name, keyId(name), "", ("secret of " + name).getBytes(StandardCharsets.UTF_8), "",
                "true", Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, enabled, Map.of("name", name, "enabled", Boolean.toString(enabled)),
                Path.of("test"), 1);
    }

    /** A client checked once a day (no checker runs in a test) with a five-minute timeout. */
    static ClientConfig checkedDaily(String name) {
        return new ClientConfig(name, keyId(name), "", ("secret of " + name).getBytes(StandardCharsets.UTF_8), "",
                "true", Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofDays(1), Duration.ZERO,
                Duration.ofSeconds(1), true, true, Map.of("name", name), Path.of("test"), 1);
    }

    static List<ClientConfig> clients(int n) {
        List<ClientConfig> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(client("c" + i, true));
        return out;
    }

    @Override
    public void close() {
        if (node != null) node.close();
        registry.close();
    }
}
