package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;
import org.mandosjava.testing.LogCapture;
import org.mandosjava.testing.Poll;

/** The admission policy through the real accept loop, over loopback: 127.0.0.2 floods, 127.0.0.1 fetches. */
class AdmissionOverSocketsTest {
    private static final InetAddress FLOOD_FROM = AdmissionTest.address("127.0.0.2");
    private final KeyPair known = TestClients.ed25519();
    private final List<Socket> sockets = new ArrayList<>();
    private MandosServer server;

    private void start(int maxConnections, int perAddress) throws Exception {
        start(maxConnections, perAddress, Duration.ofSeconds(1));
    }

    private void start(int maxConnections, int perAddress, Duration bye) throws Exception {
        ClientRegistry registry = new ClientRegistry(List.of(TestClients.client("alpha", known, "s3cret", true)),
                new ManualScheduler(java.time.Instant.now()), new FakeCheckerRunner());
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        server = new MandosServer(socket, registry, new ServerHandshake(TlsPolicy.mandosDefault()),
                new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60),
                        bye, maxConnections, perAddress, 8));
        server.start();
    }

    private Socket idleFromFlood() throws Exception {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(FLOOD_FROM, 0));
        s.connect(server.localAddress());
        return s;
    }

    /** True if the server closed (or reset) it within {@code wait}, false if it is still open then. */
    private static boolean closedByServer(Socket s, Duration wait) throws Exception {
        s.setSoTimeout((int) wait.toMillis());
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
    }

    @Test
    void anAddressAtItsLimitHasItsNewConnectionsClosed() throws Exception {
        start(100, 2);
        Socket first = idleFromFlood();
        Socket second = idleFromFlood();
        Socket third = idleFromFlood();
        assertThat(closedByServer(third, Duration.ofSeconds(10))).as("beyond the limit").isTrue();
        assertThat(closedByServer(first, Duration.ofMillis(300))).as("first kept").isFalse();
        assertThat(closedByServer(second, Duration.ofMillis(300))).as("second kept").isFalse();
    }

    @Test
    void atTheConnectionLimitAKnownClientFromAnotherAddressIsStillServed() throws Exception {
        start(4, 4);
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 4; i++) flood.add(idleFromFlood());
        byte[] secret;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            s.connect(server.localAddress());
            s.setSoTimeout(10_000);
            secret = new ClientHandshake(known.getPublic(), known.getPrivate()).fetch(s);
        }
        assertThat(new String(secret, StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(closedByServer(flood.get(0), Duration.ofSeconds(10))).as("the flood's oldest made room").isTrue();
    }

    /**
     * A client that fetches again at once while its earlier connections still wait for their
     * goodbye (here: it never closes them; under load: the server has not yet seen them end) is
     * served, and its oldest such connection makes room; eight fetching at once would not be.
     */
    @Test
    void aKeysFinishedConnectionsLingeringInTheirGoodbyeDoNotKeepItOut() throws Exception {
        start(100, 100, Duration.ofSeconds(60));
        ClientHandshake client = new ClientHandshake(known.getPublic(), known.getPrivate());
        List<Socket> lingering = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = new KeptOpen();
            sockets.add(s);
            lingering.add(s);
            s.connect(server.localAddress());
            s.setSoTimeout(10_000);
            assertThat(new String(client.fetch(s), StandardCharsets.UTF_8)).as("fetch " + i).isEqualTo("s3cret");
        }
        assertThat(closedByServer(lingering.get(0), Duration.ofSeconds(10))).as("the oldest made room").isTrue();
        assertThat(closedByServer(lingering.get(1), Duration.ofSeconds(10))).as("the next oldest").isTrue();
        assertThat(closedByServer(lingering.get(9), Duration.ofMillis(300))).as("the newest waits").isFalse();
    }

    /**
     * A client that has its secret and our close_notify but never closes is cut once the bye limit
     * has passed, and that is no fault worth a warning: the reads carry no timeout of their own,
     * so the deadline is what ends the wait.
     */
    @Test
    void aClientThatNeverAnswersOurCloseIsCutAfterTheByeLimitWithoutAWarning() throws Exception {
        start(100, 100, Duration.ofSeconds(1));
        ClientHandshake client = new ClientHandshake(known.getPublic(), known.getPrivate());
        try (LogCapture log = new LogCapture(ConnectionHandler.class)) {
            Socket s = new KeptOpen();
            sockets.add(s);
            s.connect(server.localAddress());
            s.setSoTimeout(10_000);
            assertThat(new String(client.fetch(s), StandardCharsets.UTF_8)).isEqualTo("s3cret");
            assertThat(closedByServer(s, Duration.ofMillis(300))).as("still waiting for our peer's close").isFalse();
            assertThat(closedByServer(s, Duration.ofSeconds(10))).as("cut after the bye limit").isTrue();
            // The cut closes the socket; the connection then ends on its own thread and says why.
            assertThat(Poll.until(() -> server.activeConnections() == 0, Duration.ofSeconds(10)))
                    .as("the connection ended").isTrue();
            assertThat(log.warnings()).isEmpty();
        }
    }

    /**
     * The approval wait's probe reads with a 1 ms timeout; the socket must come back to blocking
     * reads, or the close wait after the approval would end 1 ms later, before the client's
     * close_notify.
     */
    @Test
    void theApprovalWaitsProbeLeavesTheSocketBlocking() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket peer = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket ours = listener.accept()) {
            assertThat(ConnectionHandler.stillConnected(ours)).as("a silent peer is there").isTrue();
            assertThat(ours.getSoTimeout()).isZero();
            peer.close();
            assertThat(ConnectionHandler.stillConnected(ours)).as("a closed peer is gone").isFalse();
        }
    }

    /** A socket that stays open when the TLS engine closes its streams: the exchange ends, the connection not. */
    private static final class KeptOpen extends Socket {
        @Override
        public java.io.InputStream getInputStream() throws java.io.IOException {
            return new java.io.FilterInputStream(super.getInputStream()) {
                @Override
                public void close() {}
            };
        }

        @Override
        public java.io.OutputStream getOutputStream() throws java.io.IOException {
            return new java.io.FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {}
            };
        }
    }
}
