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

/** The admission policy through the real accept loop, over loopback: 127.0.0.2 floods, 127.0.0.1 fetches. */
class AdmissionOverSocketsTest {
    private static final InetAddress FLOOD_FROM = AdmissionTest.address("127.0.0.2");
    private final KeyPair known = TestClients.ed25519();
    private final List<Socket> sockets = new ArrayList<>();
    private MandosServer server;

    private void start(int maxConnections, int perAddress) throws Exception {
        ClientRegistry registry = new ClientRegistry(List.of(TestClients.client("alpha", known, "s3cret", true)),
                new ManualScheduler(java.time.Instant.now()), new FakeCheckerRunner());
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        server = new MandosServer(socket, registry, new ServerHandshake(TlsPolicy.mandosDefault()),
                new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60),
                        Duration.ofSeconds(1), maxConnections, perAddress, 8));
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
}
