package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;

/**
 * The accept loop's heartbeat, which the systemd watchdog reads: live while the loop waits in
 * accept() however long nobody comes, frozen while a round is stuck on a connection.
 */
class AcceptLoopHeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private MandosServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) server.close();
    }

    private MandosServer serve(ListenSocket.Listener listener) {
        ClientRegistry registry = new ClientRegistry(List.of(), new ManualScheduler(java.time.Instant.now()),
                new FakeCheckerRunner());
        server = new MandosServer(listener, registry, new ServerHandshake(TlsPolicy.mandosDefault()),
                new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(1), 16));
        return server;
    }

    private static ServerSocket loopback() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    @Test
    void anIdleLoopIsAliveWithoutGoingRound() throws Exception {
        MandosServer s = serve(ListenSocket.Listener.unfiltered(loopback()));
        long created = s.acceptLoopHeartbeat();
        s.start();
        awaitHeartbeatAfter(s::acceptLoopHeartbeat, created);
        // No connection ever came, so a heartbeat newer than this moment can only be the wait itself.
        for (int i = 0; i < 3; i++) {
            long before = System.nanoTime();
            assertThat(s.acceptLoopHeartbeat()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void aRoundStuckOnAConnectionStopsTheHeartbeatUntilItEnds() throws Exception {
        AtomicLong entered = new AtomicLong();
        CountDownLatch stuck = new CountDownLatch(1);
        MandosServer s = serve(new ListenSocket.Listener(loopback(), address -> {
            entered.set(System.nanoTime());
            stuck.countDown();
            try {
                return release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        s.start();
        try (Socket client = new Socket(s.localAddress().getAddress(), s.localAddress().getPort())) {
            assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            long frozen = s.acceptLoopHeartbeat();
            assertThat(frozen).isLessThanOrEqualTo(entered.get());
            assertThat(s.acceptLoopHeartbeat()).isEqualTo(frozen);

            release.countDown();
            awaitHeartbeatAfter(s::acceptLoopHeartbeat, entered.get());
        }
    }

    @Test
    void onlyAListenerWithAFilterChecksConnections() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            assertThat(ListenSocket.Listener.unfiltered(socket).filters()).isFalse();
            assertThat(ListenSocket.Listener.unfiltered(socket).admits().test(InetAddress.getLoopbackAddress())).isTrue();
            assertThat(new ListenSocket.Listener(socket, a -> true).filters()).isTrue();
        }
    }

    /** Waits, bounded, for the loop to be back in accept(): its heartbeat then passes {@code after}. */
    private static void awaitHeartbeatAfter(LongSupplier heartbeat, long after) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (heartbeat.getAsLong() <= after) {
            assertThat(System.nanoTime()).as("the accept loop's heartbeat moves on").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
