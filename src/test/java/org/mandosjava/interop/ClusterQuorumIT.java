package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.control.BusConnection;
import org.mandosjava.testing.EtcdCluster;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.Poll;

/** Two of our servers on a three-member etcd that loses its leader or its quorum. */
class ClusterQuorumIT {
    private static final String PASSWORD = "unlock me";
    private static final String KEEP_PASSWORD = "keep me";
    private static final Duration REFUSED_FOR = Duration.ofSeconds(3);
    /** Once quorum is back, the disable made while it was lost is in force on B this soon. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(1);

    @TempDir static Path shared;
    static Keys box;
    static Keys keep;
    static String clientsConf;
    static EtcdCluster etcd;
    private static int tests;

    @TempDir Path tmp;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        box = Keys.generate(Keys.Keygen.REAL, shared.resolve("box"), "box");
        keep = Keys.generate(Keys.Keygen.REAL, shared.resolve("keep"), "keep");
        clientsConf = box.clientsConfSection(Keys.Keygen.REAL, "box", PASSWORD.getBytes(StandardCharsets.UTF_8))
                + keep.clientsConfSection(Keys.Keygen.REAL, "keep", KEEP_PASSWORD.getBytes(StandardCharsets.UTF_8));
        etcd = EtcdCluster.start(shared.resolve("etcd"), 3);
    }

    @AfterAll
    static void tearDown() {
        if (etcd != null) etcd.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
        for (int i = 0; i < etcd.size(); i++) if (!etcd.isRunning(i)) etcd.start(i);
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    private List<ClusterServerProcess> pair() throws Exception {
        String prefix = "/quorum" + (++tests) + "-" + ProcessHandle.current().pid() + "/";
        List<ClusterServerProcess> both = new ArrayList<>();
        for (String id : List.of("A", "B")) {
            ClusterServerProcess s = ClusterServerProcess.start(tmp.resolve(id), id, clientsConf, etcd.endpoints(),
                    prefix, "");
            opened.add(s);
            both.add(s);
        }
        return both;
    }

    private static String unlock(Keys keys, ClusterServerProcess s, Duration timeout) throws Exception {
        return MandosClients.runReal(keys, s.connect(), timeout).stdoutText();
    }

    /** Test 4: quorum lost; enabled clients keep unlocking; a disable returns an error; B refuses once quorum is back. */
    @Test
    void quorumLoss() throws Exception {
        List<ClusterServerProcess> both = pair();
        ClusterServerProcess a = both.get(0);
        ClusterServerProcess b = both.get(1);
        assertThat(unlock(box, b, Duration.ofSeconds(20))).isEqualTo(PASSWORD);
        int survivor = etcd.leader();
        for (int i = 0; i < etcd.size(); i++) if (i != survivor) etcd.stop(i);

        assertThat(unlock(box, a, Duration.ofSeconds(20))).as("fail-static on A").isEqualTo(PASSWORD);
        assertThat(unlock(box, b, Duration.ofSeconds(20))).as("fail-static on B").isEqualTo(PASSWORD);
        long start = System.nanoTime();
        BusConnection.ErrorReply error = null;
        try {
            a.clientCall("box", "Disable");
        } catch (BusConnection.ErrorReply e) {
            error = e;
        }
        long errorMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(error).as("the disable is not confirmed").isNotNull();
        assertThat(error.getMessage()).contains("cannot be reached");
        assertThat(errorMillis).isLessThan(3_000);
        assertThat(a.clientProperty("box", "Enabled")).as("in force on A at once").isEqualTo(false);

        for (int i = 0; i < etcd.size(); i++) if (i != survivor) etcd.start(i);
        etcd.awaitHealthy(Duration.ofSeconds(30));
        long healed = System.nanoTime();
        assertThat(Poll.until(() -> {
            try {
                return Boolean.FALSE.equals(b.clientProperty("box", "Enabled"));
            } catch (Exception e) {
                return false;
            }
        }, REFUSED_WITHIN)).as("B refuses within %s of quorum's return", REFUSED_WITHIN).isTrue();
        long refusedMillis = (System.nanoTime() - healed) / 1_000_000;
        System.out.printf("cluster: quorum loss: the disable's error after %d ms; B refuses %d ms after etcd is "
                + "healthy again (Poll interval 100 ms)%n", errorMillis, refusedMillis);
        assertThat(unlock(box, b, REFUSED_FOR)).isEmpty();
        assertThat(unlock(keep, b, Duration.ofSeconds(20))).isEqualTo(KEEP_PASSWORD);
    }

    /** Test 3: the etcd leader killed during 50 unlocks and one disable. */
    @Test
    void leaderKill() throws Exception {
        List<ClusterServerProcess> both = pair();
        ClusterServerProcess a = both.get(0);
        ClusterServerProcess b = both.get(1);
        AtomicInteger done = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread unlocks = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 50; i++) {
                try {
                    String got = unlock(keep, i % 2 == 0 ? a : b, Duration.ofSeconds(20));
                    if (!KEEP_PASSWORD.equals(got)) failures.add("unlock " + i + " got '" + got + "'");
                } catch (Exception e) {
                    failures.add("unlock " + i + ": " + e);
                }
                done.incrementAndGet();
            }
        });
        assertThat(Poll.until(() -> done.get() >= 10, Duration.ofSeconds(60))).isTrue();
        etcd.kill9(etcd.leader());
        long start = System.nanoTime();
        boolean succeeded;
        try {
            a.clientCall("box", "Disable");
            succeeded = true;
        } catch (BusConnection.ErrorReply e) {
            succeeded = false;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Object onB = b.clientProperty("box", "Enabled");
        unlocks.join();
        System.out.printf("cluster: leader killed: the disable %s after %d ms; B's Enabled then %s; %d of 50 unlocks "
                + "failed%n", succeeded ? "succeeded" : "returned an error", millis, onB, failures.size());
        assertThat(failures).isEmpty();
        if (succeeded) {
            assertThat(millis).isLessThan(3_000);
            assertThat(onB).as("a successful disable is in force on B").isEqualTo(false);
            assertThat(unlock(box, b, REFUSED_FOR)).isEmpty();
        }
    }
}
