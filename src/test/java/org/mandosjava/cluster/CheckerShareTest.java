package org.mandosjava.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.Decision;
import org.mandosjava.testing.Poll;

/** Checker results shared: the latest success any server saw is every server's. */
class CheckerShareTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final MemoryStore store = new MemoryStore();
    private final List<TestServer> servers = new ArrayList<>();

    private TestServer server(String id, List<ClientConfig> clients) {
        TestServer s = new TestServer(store, id, clients);
        servers.add(s);
        return s;
    }

    /**
     * Two servers with one client (timeout 5 min, interval 2 min), whose checker succeeded on both
     * at the start. The registries are not started, so no checker runs: the tests say which succeed.
     */
    private List<TestServer> pair() throws InterruptedException {
        TestServer a = server("A", List.of(TestServer.client("laptop", true)));
        TestServer b = server("B", List.of(TestServer.client("laptop", true)));
        a.registry.checkedOk("laptop");
        b.registry.checkedOk("laptop");
        assertThat(Poll.until(() -> store.record("laptop").isPresent(), WAIT)).isTrue();
        return List.of(a, b);
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    private static Instant at(Duration d) {
        return TestServer.START.plus(d);
    }

    @Test
    void aSuccessOnOneServerKeepsTheClientEnabledOnTheOther() throws Exception {
        List<TestServer> both = pair();
        TestServer a = both.get(0);
        TestServer b = both.get(1);
        a.clock.advance(Duration.ofMinutes(4));
        b.clock.advance(Duration.ofMinutes(4));

        b.registry.checkedOk("laptop"); // B's checker succeeds, A's does not
        assertThat(Poll.until(() -> at(Duration.ofMinutes(4)).equals(a.status("laptop").lastCheckedOk()), WAIT)).isTrue();
        a.clock.advance(Duration.ofMinutes(2)); // past A's own expiry (+5 min)

        assertThat(a.status("laptop").enabled()).isTrue();
        assertThat(a.status("laptop").expires()).isEqualTo(at(Duration.ofMinutes(9)));
        assertThat(a.request(TestServer.keyId("laptop"))).isInstanceOf(Decision.Send.class);
    }

    @Test
    void anExpiryHereIsUndoneWhenTheStoreHasALaterSuccess() throws Exception {
        List<TestServer> both = pair();
        TestServer a = both.get(0);
        TestServer b = both.get(1);
        a.connection.cut(); // A does not hear of B's success before its own timer runs out
        b.clock.advance(Duration.ofMinutes(4));
        b.registry.checkedOk("laptop");
        assertThat(Poll.until(() -> at(Duration.ofMinutes(4)).equals(store.record("laptop").orElseThrow().lastCheckedOk()),
                WAIT)).isTrue();
        a.clock.advance(Duration.ofMinutes(6));
        assertThat(a.status("laptop").enabled()).isFalse();

        a.connection.heal();
        assertThat(Poll.until(() -> a.status("laptop").enabled(), WAIT)).isTrue();
        assertThat(store.record("laptop").orElseThrow().enabled()).isTrue();
    }

    @Test
    void whenEveryCheckerFailsTheClientIsDisabledOnceAndRefusedEverywhere() throws Exception {
        List<TestServer> both = pair();
        TestServer a = both.get(0);
        TestServer b = both.get(1);

        a.clock.advance(Duration.ofMinutes(6));
        b.clock.advance(Duration.ofMinutes(6));

        assertThat(Poll.until(() -> !store.record("laptop").orElseThrow().enabled(), WAIT)).isTrue();
        long disables = store.history("laptop").stream().filter(r -> !r.enabled()).count();
        assertThat(disables).isEqualTo(1);
        assertThat(a.request(TestServer.keyId("laptop"))).isInstanceOf(Decision.Refuse.class);
        assertThat(Poll.until(() -> !b.status("laptop").enabled(), WAIT)).isTrue();
        assertThat(b.request(TestServer.keyId("laptop"))).isInstanceOf(Decision.Refuse.class);
    }

    /** The figure in the README: store requests per checker success, with many clients. */
    @Test
    void manySuccessesAreWrittenInBatchesAndOncePerClusterAndInterval() throws Exception {
        int n = 10_000;
        List<ClientConfig> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) clients.add(TestServer.checkedDaily("c" + i));
        TestServer a = server("A", clients);
        TestServer b = server("B", clients);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) a.registry.checkedOk("c" + i);
        assertThat(Poll.until(() -> a.node.status().checkerSharing().records() == n, Duration.ofSeconds(30))).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        long requests = a.node.status().checkerSharing().requests();
        assertThat(requests).isLessThanOrEqualTo(n / CheckerShare.BATCH * 2L);
        assertThat(Poll.until(() -> b.status("c" + (n - 1)).lastCheckedOk() != null, Duration.ofSeconds(30))).isTrue();

        // B's checkers succeed a minute later: the records already hold a success less than half an interval old.
        b.clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < n; i++) b.registry.checkedOk("c" + i);
        b.node.status();
        assertThat(Poll.until(() -> b.node.status().checkerSharing().records() == 0
                && b.registry.status("c" + (n - 1)).isPresent(), Duration.ofSeconds(5))).isTrue();
        System.out.printf("checker sharing: %d successes written as %d records in %d store requests, %.2f s "
                + "(%.0f records/s); the other server wrote %d%n", n, a.node.status().checkerSharing().records(),
                requests, seconds, n / seconds, b.node.status().checkerSharing().records());
    }
}
