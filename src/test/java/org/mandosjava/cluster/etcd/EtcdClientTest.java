package org.mandosjava.cluster.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.cluster.etcd.EtcdException.Kind;
import org.mandosjava.testing.EtcdCluster;
import org.mandosjava.testing.TcpProxy;

/** The client against one real etcd member (started once for the class, about a second). */
class EtcdClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static EtcdCluster etcd;
    static EtcdClient client;

    @BeforeAll
    static void startEtcd() throws Exception {
        // Frequent progress notifications, so the test of their delivery is short.
        etcd = EtcdCluster.start(dir, 1, null, List.of("--experimental-watch-progress-notify-interval", "300ms"));
        client = EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints()).withTimeout(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stopEtcd() {
        if (client != null) client.close();
        if (etcd != null) etcd.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void keysRoundTripWithRevisions() throws Exception {
        WriteResult first = client.put(b("/rt/a"), b("one"));
        WriteResult second = client.put(b("/rt/a"), new byte[] {0, (byte) 0xff, 10}, 0, true);
        assertThat(second.revision()).isGreaterThan(first.revision());
        assertThat(second.prevKvs()).singleElement().extracting(KeyValue::valueUtf8).isEqualTo("one");
        client.put(b("/rt/b"), b(""));

        KeyValue a = client.get(b("/rt/a")).first();
        assertThat(a.value()).containsExactly(0, 0xff, 10);
        assertThat(a.modRevision()).isEqualTo(second.revision());
        assertThat(a.createRevision()).isEqualTo(first.revision());
        assertThat(a.version()).isEqualTo(2);
        RangeResult all = client.getPrefix(b("/rt/"));
        assertThat(all.kvs()).extracting(KeyValue::keyUtf8).containsExactly("/rt/a", "/rt/b");
        assertThat(all.kvs().get(1).value()).isEmpty();
        assertThat(client.get(b("/rt/none")).first()).isNull();

        WriteResult deleted = client.delete(b("/rt/"), EtcdClient.prefixEnd(b("/rt/")), true);
        assertThat(deleted.deleted()).isEqualTo(2);
        assertThat(deleted.prevKvs()).hasSize(2);
        assertThat(client.getPrefix(b("/rt/")).kvs()).isEmpty();
    }

    @Test
    void compareAndSwapConflictIsAResultNotAnException() throws Exception {
        byte[] key = b("/cas/x");
        TxnResult create = client.txn(List.of(Compare.absent(key)), List.of(Op.put(key, b("v1"))), List.of());
        assertThat(create.succeeded()).isTrue();
        long rev = client.get(key).first().modRevision();

        TxnResult swap = client.txn(List.of(Compare.modRevision(key, Compare.Result.EQUAL, rev)),
                List.of(Op.put(key, b("v2"))), List.of(Op.get(key)));
        assertThat(swap.succeeded()).isTrue();

        // A second writer with the stale revision loses and gets the current value to retry from.
        TxnResult stale = client.txn(List.of(Compare.modRevision(key, Compare.Result.EQUAL, rev)),
                List.of(Op.put(key, b("v3"))), List.of(Op.get(key)));
        assertThat(stale.succeeded()).isFalse();
        assertThat(stale.results()).singleElement().extracting(r -> r.first().valueUtf8()).isEqualTo("v2");
        assertThat(client.get(key).first().valueUtf8()).isEqualTo("v2");

        assertThat(client.txn(List.of(Compare.value(key, Compare.Result.EQUAL, b("v2")),
                Compare.version(key, Compare.Result.EQUAL, 2)), List.of(Op.delete(key)), List.of()).succeeded())
                .isTrue();
        assertThat(client.get(key).first()).isNull();
    }

    @Test
    void aTransactionHoldsAtMost128OperationsByDefault() throws Exception {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 128; i++) ops.add(Op.put(b("/batch/" + i), b("x")));
        assertThat(client.txn(List.of(), ops, List.of()).succeeded()).isTrue();
        assertThat(client.getPrefix(b("/batch/")).count()).isEqualTo(128);
        ops.add(Op.put(b("/batch/128"), b("x")));
        EtcdException e = catchThrowableOfType(EtcdException.class, () -> client.txn(List.of(), ops, List.of()));
        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e).hasMessageContaining("too many operations");
    }

    @Test
    void concurrentWritesAllLandWithDistinctRevisions() throws Exception {
        int writers = 16;
        int each = 25;
        java.util.Set<Long> revisions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) revisions.add(client.put(b("/tp/" + writer + "/" + i), b("x")).revision());
                    return null;
                }));
            }
            for (var f : done) f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("etcd: %d puts from %d virtual threads in %.2f s: %.0f puts/s%n", writers * each, writers,
                seconds, writers * each / seconds);
        assertThat(revisions).hasSize(writers * each);
        assertThat(client.getPrefix(b("/tp/")).count()).isEqualTo(writers * each);

        List<Op> batch = new ArrayList<>();
        for (int i = 0; i < 128; i++) batch.add(Op.put(b("/tp-batch/" + i), b("x")));
        start = System.nanoTime();
        for (int t = 0; t < 5; t++) assertThat(client.txn(List.of(), batch, List.of()).succeeded()).isTrue();
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("etcd: 5 transactions of 128 puts in %.2f s: %.0f keys/s%n", seconds, 5 * 128 / seconds);
    }

    @Test
    void leaseExpiryRemovesTheKey() throws Exception {
        LeaseGrant lease = client.grantLease(1);
        client.put(b("/lease/short"), b("x"), lease.id(), false);
        assertThat(client.get(b("/lease/short")).first()).isNotNull();
        long start = System.nanoTime();
        while (client.get(b("/lease/short")).first() != null) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            Thread.sleep(50); // polling etcd's expiry, bounded above
        }
        EtcdException e = catchThrowableOfType(EtcdException.class, () -> client.keepAliveOnce(lease.id()));
        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void leaseKeeperKeepsALeaseAndReportsItsLoss() throws Exception {
        LeaseGrant lease = client.grantLease(1);
        client.put(b("/lease/kept"), b("x"), lease.id(), false);
        AtomicReference<EtcdException> lost = new AtomicReference<>();
        CountDownLatch lostLatch = new CountDownLatch(1);
        try (LeaseKeeper keeper = client.keepAlive(lease, (id, cause) -> {
            lost.set(cause);
            lostLatch.countDown();
        })) {
            // The property is "still there after three TTLs", which takes that long to observe.
            assertThat(lostLatch.await(3, TimeUnit.SECONDS)).isFalse();
            assertThat(client.get(b("/lease/kept")).first()).isNotNull();
            assertThat(keeper.isAlive()).isTrue();

            client.revokeLease(lease.id());
            long revoked = System.nanoTime();
            assertThat(lostLatch.await(3, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofMillis(1500));
            assertThat(lost.get().kind()).isEqualTo(Kind.NOT_FOUND);
            assertThat(keeper.isAlive()).isFalse();
        }
        assertThat(client.get(b("/lease/kept")).first()).isNull();
    }

    @Test
    void watchFromARevisionSeesEveryChangeInOrder() throws Exception {
        byte[] prefix = b("/w1/");
        long from = client.put(b("/w1/a"), b("0")).revision();
        List<Long> written = new ArrayList<>(List.of(from));
        for (int i = 1; i <= 20; i++) written.add(client.put(b("/w1/" + (char) ('a' + i % 3)), b("" + i)).revision());
        written.add(client.delete(b("/w1/a"), null, false).revision());
        client.put(b("/elsewhere"), b("not watched"));

        RecordingListener l = new RecordingListener();
        try (Watch w = client.watch(WatchOptions.prefix(prefix, from), l)) {
            List<Long> seen = new ArrayList<>();
            List<WatchEvent> events = new ArrayList<>();
            while (seen.size() < written.size()) {
                WatchEvent e = l.nextEvent(WAIT);
                seen.add(e.revision());
                events.add(e);
            }
            assertThat(seen).isEqualTo(written);
            assertThat(events.get(1).prevKv()).as("a new key has no previous state").isNull();
            assertThat(events.get(3).prevKv().valueUtf8()).as("the 3rd write after the first is to /w1/a").isEqualTo("0");
            WatchEvent delete = events.get(events.size() - 1);
            assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(delete.prevKv()).isNotNull();
            // and it keeps delivering live changes
            long live = client.put(b("/w1/z"), b("live")).revision();
            assertThat(l.nextEvent(WAIT).revision()).isEqualTo(live);
            assertThat(w.lastRevision()).isEqualTo(live);
        }
        assertThat(l.next(RecordingListener.Closed.class, WAIT).cause()).isNull();
    }

    @Test
    void anIdleWatchReceivesProgressNotifications() throws Exception {
        long now = client.put(b("/elsewhere"), b("x")).revision();
        RecordingListener l = new RecordingListener();
        try (Watch w = client.watch(WatchOptions.prefix(b("/idle/"), now + 1), l)) {
            long progress = l.next(RecordingListener.Progress.class, WAIT).revision();
            assertThat(progress).isGreaterThanOrEqualTo(now);
            assertThat(w.lastRevision()).isGreaterThanOrEqualTo(now);
            assertThat(l.events).isEmpty();
        }
    }

    @Test
    void aLeaseWhoseRenewalsAreCutIsReportedLostWithinItsTtl() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", etcd.clientPort(0));
                EtcdClient viaProxy = EtcdClient.connect(EtcdClientSettings.of(
                        List.of(java.net.URI.create("http://127.0.0.1:" + proxy.port())))
                        .withTimeout(Duration.ofSeconds(10)))) {
            LeaseGrant lease = viaProxy.grantLease(2);
            CountDownLatch lostLatch = new CountDownLatch(1);
            AtomicReference<EtcdException> lost = new AtomicReference<>();
            try (LeaseKeeper keeper = viaProxy.keepAlive(lease, (id, cause) -> {
                lost.set(cause);
                lostLatch.countDown();
            })) {
                proxy.cut();
                long cut = System.nanoTime();
                assertThat(lostLatch.await(5, TimeUnit.SECONDS)).isTrue();
                Duration after = Duration.ofNanos(System.nanoTime() - cut);
                System.out.println("etcd lease (TTL 2 s) reported lost " + after.toMillis() + " ms after the cut");
                // Never later than the TTL (plus scheduling), although each call's own timeout is 10 s.
                assertThat(after).isLessThan(Duration.ofMillis(2500));
                assertThat(lost.get().kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(keeper.isAlive()).isFalse();
            }
        }
    }

    @Test
    void watchFromACompactedRevisionReportsCompacted() throws Exception {
        long old = client.put(b("/w2/a"), b("1")).revision();
        long later = client.put(b("/w2/a"), b("2")).revision();
        client.compact(later);
        RecordingListener l = new RecordingListener();
        try (Watch w = client.watch(WatchOptions.prefix(b("/w2/"), old), l)) {
            EtcdException cause = l.next(RecordingListener.Closed.class, WAIT).cause();
            assertThat(cause.kind()).isEqualTo(Kind.COMPACTED);
            assertThat(cause.compactRevision()).isEqualTo(later);
        }
        EtcdException e = catchThrowableOfType(EtcdException.class, () -> client.range(b("/w2/a"), null, old, 0));
        assertThat(e.kind()).isEqualTo(Kind.COMPACTED);
    }

    @Test
    void aCutStreamIsDetectedWithinTheDeadBoundAndResumedAfterHealing() throws Exception {
        Duration deadAfter = Duration.ofMillis(1000);
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", etcd.clientPort(0));
                EtcdClient viaProxy = EtcdClient.connect(EtcdClientSettings.of(
                        List.of(java.net.URI.create("http://127.0.0.1:" + proxy.port())))
                        .withTimeout(Duration.ofSeconds(2)))) {
            RecordingListener l = new RecordingListener();
            long from = client.put(b("/w3/a"), b("before")).revision();
            try (Watch w = viaProxy.watch(WatchOptions.prefix(b("/w3/"), from).withDeadAfter(deadAfter), l)) {
                assertThat(l.nextEvent(WAIT).revision()).isEqualTo(from);
                proxy.cut();
                long cut = System.nanoTime();
                long during = client.put(b("/w3/a"), b("during")).revision();
                EtcdException cause = l.next(RecordingListener.Disconnected.class, Duration.ofSeconds(5)).cause();
                Duration detected = Duration.ofNanos(System.nanoTime() - cut);
                System.out.println("etcd watch: cut stream detected after " + detected.toMillis() + " ms (bound "
                        + deadAfter.toMillis() + " ms)");
                assertThat(cause.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(detected).isLessThan(deadAfter.multipliedBy(3));
                assertThat(w.isConnected()).isFalse();

                proxy.heal();
                WatchEvent resumed = l.nextEvent(WAIT);
                assertThat(resumed.revision()).isEqualTo(during);
                assertThat(resumed.kv().valueUtf8()).isEqualTo("during");
            }
        }
    }

    @Test
    void aResetStreamIsReopenedFromTheNextRevision() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", etcd.clientPort(0));
                EtcdClient viaProxy = EtcdClient.connect(EtcdClientSettings.of(
                        List.of(java.net.URI.create("http://127.0.0.1:" + proxy.port()))))) {
            RecordingListener l = new RecordingListener();
            long from = client.put(b("/w4/a"), b("1")).revision();
            try (Watch w = viaProxy.watch(WatchOptions.prefix(b("/w4/"), from), l)) {
                assertThat(l.nextEvent(WAIT).revision()).isEqualTo(from);
                proxy.reset();
                assertThat(l.next(RecordingListener.Disconnected.class, WAIT).cause().kind())
                        .isEqualTo(Kind.UNAVAILABLE);
                long next = client.put(b("/w4/a"), b("2")).revision();
                WatchEvent e = l.nextEvent(WAIT);
                assertThat(e.revision()).as("nothing repeated, nothing lost").isEqualTo(next);
            }
        }
    }

    @Test
    void aListenerThatThrowsEndsTheWatchInsteadOfSkippingAChange() throws Exception {
        RecordingListener recorder = new RecordingListener();
        Watch.Listener failing = new Watch.Listener() {
            @Override
            public void onEvents(List<WatchEvent> events, long revision) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onClosed(EtcdException cause) {
                recorder.onClosed(cause);
            }
        };
        long from = client.put(b("/w6/a"), b("1")).revision();
        try (Watch w = client.watch(WatchOptions.prefix(b("/w6/"), from), failing)) {
            EtcdException cause = recorder.next(RecordingListener.Closed.class, WAIT).cause();
            assertThat(cause.kind()).isEqualTo(Kind.CLOSED);
            assertThat(cause).hasMessageContaining("listener bug");
            assertThat(w.isConnected()).isFalse();
        }
    }

    @Test
    void closingTheClientEndsItsWatches() throws Exception {
        RecordingListener l = new RecordingListener();
        EtcdClient own = EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints()));
        try (Watch w = own.watch(WatchOptions.prefix(b("/w5/"), 0), l)) {
            l.next(RecordingListener.Connected.class, WAIT);
            own.close();
            assertThat(l.next(RecordingListener.Closed.class, WAIT).cause().kind()).isEqualTo(Kind.CLOSED);
        }
        EtcdException e = catchThrowableOfType(EtcdException.class, () -> own.get(b("/w5/")));
        assertThat(e.kind()).isEqualTo(Kind.CLOSED);
    }

    @Test
    void callsThroughAResetConnectionFailClearly() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", etcd.clientPort(0));
                EtcdClient viaProxy = EtcdClient.connect(EtcdClientSettings.of(
                        List.of(java.net.URI.create("http://127.0.0.1:" + proxy.port())))
                        .withTimeout(Duration.ofMillis(800)))) {
            viaProxy.put(b("/reset/a"), b("1"));
            proxy.cut();
            long start = System.nanoTime();
            EtcdException e = catchThrowableOfType(EtcdException.class, () -> viaProxy.put(b("/reset/a"), b("2")));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.outcomeUnknown()).isTrue();
            proxy.heal();
            proxy.reset();
            // after a reset the next call opens a fresh connection and works
            assertThat(viaProxy.get(b("/reset/a")).first()).isNotNull();
        }
    }

    @Test
    void aBurstOfCallsToASilentEtcdIsBoundedInConnectionsAndTime() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", etcd.clientPort(0));
                EtcdClient viaProxy = EtcdClient.connect(EtcdClientSettings.of(
                        List.of(java.net.URI.create("http://127.0.0.1:" + proxy.port())))
                        .withTimeout(Duration.ofSeconds(1)))) {
            proxy.cut();
            List<java.util.concurrent.Future<EtcdException>> calls = new ArrayList<>();
            // The callers begin together: a caller that began later than a slot's holder still has
            // time left when that holder times out, and takes the slot (a new connection), so how
            // many connections a burst opens depends on how far apart its callers began (started one
            // by one, a busy host spreads them enough for over a hundred).
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(200);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            long start;
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 200; i++) {
                    calls.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return catchThrowableOfType(EtcdException.class, () -> viaProxy.get(b("/burst")));
                    }));
                }
                ready.await();
                start = System.nanoTime();
                go.countDown();
                // Mostly TIMEOUT; a connect the proxy's backlog refuses under load is UNAVAILABLE.
                for (var f : calls) assertThat(f.get().kind()).isIn(Kind.TIMEOUT, Kind.UNAVAILABLE);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            // 64 slots, so 64 connections, and a few more for callers that began a little later
            // than a slot's holder: far fewer connections than calls (one each would be about 190,
            // the proxy's backlog refusing some).
            assertThat(proxy.accepted()).isPositive().isLessThanOrEqualTo(2 * EtcdTransport.MAX_CONCURRENT_CALLS);
        }
    }

    @Test
    void aDeadEndpointIsSkipped() throws Exception {
        java.net.URI nothing = java.net.URI.create("http://127.0.0.1:" + unusedPort());
        try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(List.of(nothing, etcd.endpoint(0))))) {
            assertThat(c.put(b("/failover/a"), b("1")).revision()).isPositive();
            assertThat(c.get(b("/failover/a")).first().valueUtf8()).isEqualTo("1");
        }
        try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(List.of(nothing))
                .withTimeout(Duration.ofSeconds(1)))) {
            EtcdException e = catchThrowableOfType(EtcdException.class, () -> c.put(b("/failover/b"), b("1")));
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.outcomeUnknown()).isFalse();
        }
    }

    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
