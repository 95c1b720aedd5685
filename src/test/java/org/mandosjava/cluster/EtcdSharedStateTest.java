package org.mandosjava.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.cluster.etcd.EtcdClient;
import org.mandosjava.cluster.etcd.EtcdClientSettings;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.Decision;
import org.mandosjava.server.ManualScheduler;
import org.mandosjava.server.SharedChangeException;
import org.mandosjava.testing.EtcdCluster;
import org.mandosjava.testing.TcpProxy;

/** The shared state in one real etcd member: its semantics, and two in-process servers sharing it. */
class EtcdSharedStateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static EtcdCluster etcd;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private static int prefixes;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdCluster.start(dir, 1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) etcd.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
    }

    private EtcdSharedState state(String prefix, URI endpoint) throws Exception {
        EtcdClient client = EtcdClient.connect(EtcdClientSettings.of(List.of(endpoint)).withTimeout(Duration.ofSeconds(1)));
        EtcdSharedState s = new EtcdSharedState(client, prefix, 5);
        opened.add(s);
        return s;
    }

    private static String freshPrefix() {
        return "/test" + (++prefixes) + "/";
    }

    private static ClientRecord enabled(boolean on) {
        return new ClientRecord(on, false, null, null, null, 0, Map.of());
    }

    @Test
    void aCompareAndSwapHoldsOnlyAtTheRevisionItNames() throws Exception {
        EtcdSharedState s = state(freshPrefix(), etcd.endpoint(0));
        long first = s.commit(new SharedState.Cas("laptop", 0, enabled(true)));
        assertThat(first).isPositive();
        assertThat(s.commit(new SharedState.Cas("laptop", 0, enabled(false)))).as("not absent any more").isEqualTo(-1);
        long second = s.commit(new SharedState.Cas("laptop", first, enabled(false)));
        assertThat(second).isGreaterThan(first);
        assertThat(s.read("laptop")).contains(new SharedState.Versioned(enabled(false), second));
        assertThat(s.commit(new SharedState.Cas("laptop", first, enabled(true)))).isEqualTo(-1);

        long both = s.commitAll(List.of(new SharedState.Cas("laptop", second, enabled(true)),
                new SharedState.Cas("desk", 0, enabled(true))));
        assertThat(both).isGreaterThan(second);
        assertThat(s.commitAll(List.of(new SharedState.Cas("laptop", both, enabled(false)),
                new SharedState.Cas("desk", 0, enabled(false))))).as("one compare fails: none is written").isEqualTo(-1);
        assertThat(s.read("laptop").orElseThrow().record().enabled()).isTrue();
    }

    @Test
    void aWatchReportsClientsMembersAndPresenceInOrder() throws Exception {
        EtcdSharedState s = state(freshPrefix(), etcd.endpoint(0));
        long start = s.readAll().revision();
        BlockingQueue<SharedState.Event> seen = new LinkedBlockingQueue<>();
        try (SharedState.Watch w = s.watch(start + 1, new SharedState.WatchListener() {
            @Override public void events(List<SharedState.Event> events) {
                seen.addAll(events);
            }

            @Override public void progress(long revision) {}

            @Override public void compacted(long compactRevision) {}

            @Override public void ended(Exception cause) {}
        })) {
            s.commit(new SharedState.Cas("laptop", 0, enabled(true)));
            s.reportApplied("A", 7);
            s.heartbeat("A");
            s.leave("A");
            List<Class<?>> kinds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                SharedState.Event e = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(e).as("event " + i).isNotNull();
                kinds.add(e.getClass());
                if (e instanceof SharedState.MemberChanged m) assertThat(m.applied()).isEqualTo(7);
            }
            assertThat(kinds).containsExactly(SharedState.ClientChanged.class, SharedState.MemberChanged.class,
                    SharedState.PresenceChanged.class, SharedState.MemberLeft.class, SharedState.PresenceLost.class);
        }
        SharedState.Snapshot all = s.readAll();
        assertThat(all.clients()).containsKey("laptop");
        assertThat(all.members()).isEmpty();
    }

    /** One in-process server on etcd, through a proxy the test can cut. */
    private final class Server implements AutoCloseable {
        final ClientRegistry registry = new ClientRegistry(List.of(TestServer.client("laptop", true)),
                new ManualScheduler(TestServer.START), new CheckerRunner());
        final TcpProxy proxy;
        final ClusterNode node;

        Server(String id, String prefix) throws Exception {
            proxy = TcpProxy.to("127.0.0.1", etcd.clientPort(0));
            node = ClusterNode.join(ClusterOptions.of(id, Duration.ofSeconds(2), null), state(prefix,
                    URI.create("http://127.0.0.1:" + proxy.port())), registry, java.time.Instant::now);
            opened.add(this);
        }

        Decision request() throws InterruptedException {
            return registry.requestSecret(TestServer.keyId("laptop"), "[::1]:1", () -> true);
        }

        @Override public void close() throws Exception {
            node.close();
            registry.close();
            proxy.close();
        }
    }

    @Test
    void twoServersOnEtcdAgreeAndOneCutOffIsNamedThenRefusesAfterHealing() throws Exception {
        String prefix = freshPrefix();
        Server a = new Server("A", prefix);
        Server b = new Server("B", prefix);
        assertThat(org.mandosjava.testing.Poll.until(() -> a.node.status().members().size() == 2, WAIT)).isTrue();

        long start = System.nanoTime();
        a.registry.disable("laptop");
        long disableMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(b.request()).isInstanceOf(Decision.Refuse.class);
        a.registry.enable("laptop");
        assertThat(b.request()).isInstanceOf(Decision.Send.class);

        b.proxy.cut();
        start = System.nanoTime();
        assertThatThrownBy(() -> a.registry.disable("laptop")).isInstanceOf(SharedChangeException.class)
                .hasMessageContaining("B");
        long unconfirmedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(unconfirmedMillis).isLessThan(3_000);
        b.proxy.heal();
        assertThat(b.request()).isInstanceOf(Decision.Refuse.class);
        System.out.printf("etcd: a confirmed disable took %d ms; an unconfirmed one returned after %d ms%n",
                disableMillis, unconfirmedMillis);
    }
}
