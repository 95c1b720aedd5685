package org.mandosjava.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.server.Decision;
import org.mandosjava.server.SharedChangeException;
import org.mandosjava.testing.Poll;

/** The cluster contract with several in-process servers on a memory store. */
class ClusterNodeTest {
    private final MemoryStore store = new MemoryStore();
    private final java.util.List<TestServer> servers = new java.util.ArrayList<>();

    private TestServer server(String id) {
        TestServer s = new TestServer(store, id, List.of(TestServer.client("laptop", true)));
        servers.add(s);
        return s;
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    private static final String LAPTOP = TestServer.keyId("laptop");

    @Test
    void aDisableOnOneServerIsInForceOnTheOtherWhenTheCallReturns() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Send.class);

        assertThat(a.registry.disable("laptop")).isTrue();

        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
        assertThat(store.record("laptop").orElseThrow().enabled()).isFalse();
        assertThat(a.status("laptop").enabled()).isFalse();
    }

    @Test
    void aSecretChangedOnOneServerIsWhatTheOtherSends() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        byte[] secret = "new ciphertext".getBytes(StandardCharsets.UTF_8);

        a.registry.setSecret("laptop", secret);

        assertThat(((Decision.Send) b.request(LAPTOP)).secret()).containsExactly(secret);
    }

    @Test
    void aServerCutOffIsNamedAndRefusesAtItsFirstRequestAfterHealing() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        b.connection.cut();

        assertThatThrownBy(() -> a.registry.disable("laptop")).isInstanceOf(SharedChangeException.class)
                .hasMessageContaining("not confirmed").hasMessageContaining("B");
        assertThat(store.record("laptop").orElseThrow().enabled()).as("committed all the same").isFalse();
        assertThat(b.status("laptop").enabled()).as("B has not seen it").isTrue();

        b.connection.heal();
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void whileCutOffAServerServesEnabledClientsFromItsCache() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        a.connection.cut();
        b.connection.cut();

        assertThat(b.request(LAPTOP)).as("fail-static").isInstanceOf(Decision.Send.class);
    }

    @Test
    void strictModeStopsReleasesOnceTheStoreHasBeenOutOfReachTooLong() throws Exception {
        TestServer b = new TestServer(store, "B", List.of(TestServer.client("laptop", true)), Map.of(), false);
        servers.add(b);
        b.join(TestServer.CONFIRM, false, Duration.ofSeconds(1));
        b.connection.cut();
        assertThat(b.request(LAPTOP)).as("fail-static within the limit").isInstanceOf(Decision.Send.class);

        assertThat(Poll.until(() -> decide(b) instanceof Decision.Refuse r
                && r.reason().equals(org.mandosjava.server.ClientRegistry.NO_SHARED_STATE), Duration.ofSeconds(5)))
                .isTrue();
        b.connection.heal();
        assertThat(Poll.until(() -> decide(b) instanceof Decision.Send, Duration.ofSeconds(5))).isTrue();
    }

    private static Decision decide(TestServer s) {
        try {
            return s.request(LAPTOP);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEnableIsRefusedWhileTheStoreIsOutOfReach() throws Exception {
        TestServer a = server("A");
        a.registry.disable("laptop");
        a.connection.cut();

        assertThatThrownBy(() -> a.registry.enable("laptop")).isInstanceOf(SharedChangeException.class)
                .hasMessageContaining("cannot be reached");
        assertThat(a.status("laptop").enabled()).isFalse();
        assertThat(a.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void aDisableWithoutTheStoreIsInForceHereAtOnceAndEverywhereOnceTheStoreIsBack() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        a.connection.cut();

        assertThatThrownBy(() -> a.registry.disable("laptop")).isInstanceOf(SharedChangeException.class)
                .hasMessageContaining("Applied on this server only");
        assertThat(a.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
        assertThat(store.record("laptop").map(ClientRecord::enabled).orElse(true)).isTrue();

        a.connection.heal();
        assertThat(Poll.until(() -> !store.record("laptop").map(ClientRecord::enabled).orElse(true),
                Duration.ofSeconds(5))).isTrue();
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
        assertThat(a.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void aMemberThatVanishedWithoutLeavingIsNamedOneThatLeftIsNot() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        b.node.close(); // leaves cleanly
        servers.remove(b);
        a.registry.disable("laptop");

        TestServer c = server("C");
        c.connection.cut();
        c.connection.expireLease();
        assertThatThrownBy(() -> a.registry.enable("laptop")).hasMessageContaining("C (no presence");
    }

    @Test
    void atStartTheStoreWinsOverTheStateFile() throws Exception {
        TestServer a = server("A");
        a.registry.disable("laptop");

        TestServer late = server("late"); // its clients.conf and cache say enabled
        assertThat(late.status("laptop").enabled()).isFalse();
        assertThat(late.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void aServerStartedWithoutTheStoreReleasesNothingUntilItReachesIt() throws Exception {
        TestServer a = server("A");
        a.registry.disable("laptop");
        TestServer b = new TestServer(store, "B", List.of(TestServer.client("laptop", true)), Map.of(), false);
        servers.add(b);
        b.connection.cut();
        b.join(TestServer.CONFIRM); // its cache predates the disable
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);

        b.connection.heal();
        assertThat(Poll.until(() -> !b.status("laptop").enabled(), Duration.ofSeconds(5))).isTrue();
        a.registry.enable("laptop");
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void servingAColdCacheOnRequestStillKeepsWhatItDisabled() throws Exception {
        TestServer a = server("A");
        TestServer b = new TestServer(store, "B", List.of(TestServer.client("laptop", false),
                TestServer.client("desk", true)), Map.of(), false);
        servers.add(b);
        b.connection.cut();
        b.join(TestServer.CONFIRM, true);
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
        assertThat(b.request(TestServer.keyId("desk"))).isInstanceOf(Decision.Send.class);
    }

    @Test
    void startingWithoutTheStoreKeepsWhatTheCacheDisabledAndCatchesUpLater() throws Exception {
        TestServer a = server("A");
        TestServer b = new TestServer(store, "B", List.of(TestServer.client("laptop", false)), Map.of(), false);
        servers.add(b);
        b.connection.cut();
        b.join(TestServer.CONFIRM, true);
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);

        a.registry.disable("laptop");
        a.registry.enable("laptop"); // B is a member without presence: named
        b.connection.heal();
        assertThat(Poll.until(() -> b.status("laptop").enabled(), Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aServerWhoseHistoryWasCompactedReadsEverythingAgain() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        b.connection.cut();
        try {
            a.registry.disable("laptop");
        } catch (SharedChangeException expected) {
            // B is named
        }
        store.compact();
        b.connection.heal();
        assertThat(Poll.until(() -> !b.status("laptop").enabled(), Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void concurrentEnablesAndDisablesEndInOneAgreedState() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        int rounds = 200;
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        Thread enabler = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < rounds; i++) {
                try {
                    a.registry.enable("laptop");
                } catch (SharedChangeException e) {
                    refused.incrementAndGet(); // too many concurrent changes in a row: the caller is told
                }
            }
        });
        Thread disabler = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < rounds; i++) {
                try {
                    b.registry.disable("laptop");
                } catch (SharedChangeException e) {
                    refused.incrementAndGet();
                }
            }
        });
        enabler.join();
        disabler.join();
        boolean agreed = store.record("laptop").orElseThrow().enabled();
        assertThat(Poll.until(() -> a.status("laptop").enabled() == agreed && b.status("laptop").enabled() == agreed,
                Duration.ofSeconds(5))).isTrue();
        b.registry.disable("laptop");
        assertThat(a.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
        assertThat(b.request(LAPTOP)).isInstanceOf(Decision.Refuse.class);
    }

    /** As the parser normalizes it, and as a connection presents it. */
    private static final String DESK = TestServer.keyId("desk").toUpperCase(java.util.Locale.ROOT);

    /** A client as D-Bus AddClient would make it: through the clients.conf parser, with built-in defaults. */
    private static org.mandosjava.config.ClientConfig added(String name) throws Exception {
        return ClientDefinition.toConfig(name, Map.of("key_id", TestServer.keyId(name), "host", "desk.example",
                "checker", "fping -q -- %(host)s", "timeout", "PT10M"), ("secret of " + name).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aClientAddedOnOneServerIsServedByTheOtherAndARemoveIsToo() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");

        a.registry.add(added("desk"));

        String desk = DESK;
        assertThat(((Decision.Send) b.request(desk)).secret())
                .containsExactly("secret of desk".getBytes(StandardCharsets.UTF_8));
        assertThat(b.status("desk").checker()).as("a runtime %(host)s stays one").isEqualTo("fping -q -- %(host)s");
        assertThat(b.status("desk").timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.request(desk)).isInstanceOf(Decision.Send.class);

        b.registry.remove("desk");
        assertThat(a.registry.status("desk")).isEmpty();
        assertThat(a.request(desk)).isNotInstanceOf(Decision.Send.class);
    }

    @Test
    void aServerStartedLaterHasTheAddedClientToo() throws Exception {
        TestServer a = server("A");
        a.registry.add(added("desk"));

        TestServer c = server("C");

        assertThat(c.request(DESK)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void anAddNeedsTheStoreAndANameNobodyHas() throws Exception {
        TestServer a = server("A");
        TestServer b = server("B");
        assertThatThrownBy(() -> a.registry.add(TestServer.client("laptop", true)))
                .isInstanceOf(IllegalArgumentException.class);
        a.registry.add(added("desk"));
        b.registry.remove("desk");

        a.connection.cut();
        assertThatThrownBy(() -> a.registry.add(added("desk"))).isInstanceOf(SharedChangeException.class)
                .hasMessageContaining("cannot be reached");
        assertThat(a.registry.status("desk")).isEmpty();
        a.connection.heal();

        a.registry.add(added("desk"));
        assertThat(b.request(DESK)).as("added again after a remove").isInstanceOf(Decision.Send.class);
    }
}
