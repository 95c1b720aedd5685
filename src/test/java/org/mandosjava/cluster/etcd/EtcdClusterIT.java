package org.mandosjava.cluster.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.cluster.etcd.EtcdException.Kind;
import org.mandosjava.testing.EtcdCluster;

/** The client against three real etcd members: leader loss, quorum loss, member loss. */
class EtcdClusterIT {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Endpoints with {@code first} in front, so the client's streams start on that member. */
    private static List<URI> startingWith(EtcdCluster etcd, int first) {
        List<URI> list = new ArrayList<>(etcd.endpoints());
        list.remove(etcd.endpoint(first));
        list.add(0, etcd.endpoint(first));
        return list;
    }

    @Test
    void aWatchOnTheLeaderSurvivesItsKillAndMissesNothing() throws Exception {
        long started = System.nanoTime();
        try (EtcdCluster etcd = EtcdCluster.start(dir, 3)) {
            System.out.println("etcd: 3 members healthy after " + ms(started) + " ms");
            int leader = etcd.leader();
            try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(startingWith(etcd, leader))
                    .withTimeout(CALL_TIMEOUT))) {
                RecordingListener l = new RecordingListener();
                long from = c.put(b("/k/0"), b("0")).revision();
                try (Watch w = c.watch(WatchOptions.prefix(b("/k/"), from).withDeadAfter(Duration.ofSeconds(2)), l)) {
                    assertThat(l.next(RecordingListener.Connected.class, CALL_TIMEOUT).endpoint())
                            .isEqualTo(etcd.endpoint(leader));
                    assertThat(l.nextEvent(CALL_TIMEOUT).revision()).isEqualTo(from);

                    etcd.kill9(leader);
                    long killed = System.nanoTime();
                    List<Long> written = new ArrayList<>();
                    long firstWrite = -1;
                    for (int i = 1; i <= 10; i++) {
                        while (true) {
                            try {
                                written.add(c.put(b("/k/" + i), b("" + i)).revision());
                                if (firstWrite < 0) firstWrite = System.nanoTime();
                                break;
                            } catch (EtcdException e) {
                                assertThat(Duration.ofNanos(System.nanoTime() - killed))
                                        .as("writes work again after the leader's kill").isLessThan(Duration.ofSeconds(10));
                            }
                        }
                    }
                    List<Long> seen = new ArrayList<>();
                    long firstSeen = -1;
                    while (!seen.containsAll(written)) {
                        WatchEvent e = l.nextEvent(Duration.ofSeconds(15));
                        if (firstSeen < 0) firstSeen = System.nanoTime();
                        seen.add(e.revision());
                    }
                    Duration writeGap = Duration.ofNanos(firstWrite - killed);
                    Duration watchGap = Duration.ofNanos(firstSeen - killed);
                    System.out.println("etcd leader kill -9: writes again after " + writeGap.toMillis()
                            + " ms, watch delivered again after " + watchGap.toMillis() + " ms");
                    assertThat(seen).as("in order, no duplicates").isSorted().doesNotHaveDuplicates();
                    assertThat(watchGap).isLessThan(Duration.ofSeconds(10));
                    assertThat(l.calls).anyMatch(x -> x instanceof RecordingListener.Disconnected);
                    assertThat(w.lastRevision()).isEqualTo(written.get(written.size() - 1));
                }
            }
        }
    }

    @Test
    void quorumLossMakesCallsFailWithinTheTimeoutAndEndsTheWatch() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 3)) {
            int survivor = 0;
            try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(List.of(etcd.endpoint(survivor)))
                    .withTimeout(CALL_TIMEOUT))) {
                RecordingListener l = new RecordingListener();
                RecordingListener etcdSide = new RecordingListener();
                long from = c.put(b("/q/a"), b("before")).revision();
                try (Watch w = c.watch(WatchOptions.prefix(b("/q/"), from).withDeadAfter(Duration.ofSeconds(2)), l);
                        Watch slow = c.watch(WatchOptions.prefix(b("/q/"), from)
                                .withDeadAfter(Duration.ofSeconds(120)), etcdSide)) {
                    assertThat(l.nextEvent(CALL_TIMEOUT).revision()).isEqualTo(from);
                    assertThat(etcdSide.nextEvent(CALL_TIMEOUT).revision()).isEqualTo(from);
                    etcd.stop(1);
                    etcd.stop(2);
                    long lost = System.nanoTime();

                    for (int i = 0; i < 3; i++) {
                        long start = System.nanoTime();
                        EtcdException put = catchThrowableOfType(EtcdException.class, () -> c.put(b("/q/a"), b("x")));
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        System.out.println("etcd quorum lost: put failed after " + took.toMillis() + " ms: "
                                + put.kind() + " " + put.getMessage());
                        assertThat(put.kind()).isIn(Kind.UNAVAILABLE, Kind.TIMEOUT);
                        assertThat(took).isLessThan(CALL_TIMEOUT.plusMillis(500));
                        start = System.nanoTime();
                        EtcdException get = catchThrowableOfType(EtcdException.class, () -> c.get(b("/q/a")));
                        assertThat(get.kind()).isIn(Kind.UNAVAILABLE, Kind.TIMEOUT);
                        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CALL_TIMEOUT.plusMillis(500));
                    }
                    EtcdException watchCause = l.next(RecordingListener.Disconnected.class, Duration.ofSeconds(10))
                            .cause();
                    System.out.println("etcd quorum lost: watch disconnected after " + ms(lost) + " ms: "
                            + watchCause.kind() + " " + watchCause.getMessage());
                    // With its own probe far off, the watch ends by etcd's require-leader cancel.
                    EtcdException etcdCause = etcdSide.next(RecordingListener.Disconnected.class,
                            Duration.ofSeconds(20)).cause();
                    System.out.println("etcd quorum lost: require-leader watch ended by etcd after " + ms(lost)
                            + " ms: " + etcdCause.kind() + " " + etcdCause.getMessage());
                    assertThat(etcdCause.kind()).isEqualTo(Kind.UNAVAILABLE);
                    assertThat(etcdCause).hasMessageContaining("no leader");

                    etcd.start(1);
                    etcd.start(2);
                    etcd.awaitHealthy(Duration.ofSeconds(20));
                    long after = c.put(b("/q/a"), b("after")).revision();
                    WatchEvent resumed;
                    do {
                        resumed = l.nextEvent(Duration.ofSeconds(15));
                    } while (resumed.revision() < after);
                    assertThat(resumed.kv().valueUtf8()).isEqualTo("after");
                    assertThat(w.lastRevision()).isEqualTo(after);
                }
            }
        }
    }

    @Test
    void aKilledMembersEndpointIsSkipped() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 3)) {
            try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints()).withTimeout(CALL_TIMEOUT))) {
                c.put(b("/m/a"), b("1"));
                int victim = etcd.leader() == 0 ? 1 : 0;
                etcd.kill9(victim);
                long start = System.nanoTime();
                for (int i = 0; i < 5; i++) c.put(b("/m/a"), b("v" + i));
                assertThat(c.get(b("/m/a")).first().valueUtf8()).isEqualTo("v4");
                System.out.println("etcd member kill -9: 5 puts + 1 get via the others in " + ms(start) + " ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CALL_TIMEOUT.multipliedBy(2));
            }
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
