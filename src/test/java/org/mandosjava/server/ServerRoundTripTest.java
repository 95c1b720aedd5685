package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;

/** Our server against our own client role, in memory: the protocol core without real peers. */
class ServerRoundTripTest {
    private final KeyPair known = TestClients.ed25519();
    private final KeyPair disabled = TestClients.ed25519();
    private final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    private MandosServer server;

    private void start(List<ClientConfig> clients) throws Exception {
        ClientRegistry registry = new ClientRegistry(clients, new ManualScheduler(java.time.Instant.now()),
                new FakeCheckerRunner());
        registry.addListener(events::add);
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = new MandosServer(socket, registry, new ServerHandshake(TlsPolicy.mandosDefault()),
                new ConnectionLimits(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(1), 16));
        server.start();
    }

    private byte[] fetch(KeyPair key) throws Exception {
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            return new ClientHandshake(key.getPublic(), key.getPrivate()).fetch(s);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void knownClientGetsItsSecretExactly() throws Exception {
        start(List.of(TestClients.client("alpha", known, "s3cret \n\t", true)));
        assertThat(new String(fetch(known), StandardCharsets.UTF_8)).isEqualTo("s3cret \n\t");
        assertThat(events).filteredOn(e -> !(e instanceof ServerEvent.PropertiesChanged)).containsExactly(
                new ServerEvent.SecretReleasing("alpha", KeyId.of(known.getPublic().getEncoded()), "127.0.0.1"),
                new ServerEvent.SecretSent("alpha", "127.0.0.1"));
    }

    @Test
    void unknownKeyGetsNothing() throws Exception {
        start(List.of(TestClients.client("alpha", known, "s3cret", true)));
        KeyPair stranger = TestClients.ed25519();
        String strangerId = org.mandosjava.protocol.KeyId.of(stranger.getPublic().getEncoded());
        assertThat(fetch(stranger)).isEmpty();
        assertThat(events).filteredOn(e -> !(e instanceof ServerEvent.PropertiesChanged))
                .singleElement().isInstanceOfSatisfying(ServerEvent.ClientNotFound.class,
                e -> assertThat(e.keyId()).isEqualTo(strangerId));
    }

    @Test
    void disabledClientGetsNothing() throws Exception {
        start(List.of(TestClients.client("off", disabled, "nope", false)));
        assertThat(fetch(disabled)).isEmpty();
        assertThat(events).filteredOn(e -> !(e instanceof ServerEvent.PropertiesChanged))
                .singleElement().isInstanceOfSatisfying(ServerEvent.Rejected.class,
                e -> assertThat(e.reason()).isEqualTo("Disabled"));
    }

    @Test
    void largeSecretSpanningRecordsArrivesWhole() throws Exception {
        byte[] big = new byte[70_000];
        new java.util.Random(7).nextBytes(big);
        start(List.of(TestClients.client("big", org.mandosjava.protocol.KeyId.of(known.getPublic().getEncoded()),
                big, true)));
        assertThat(fetch(known)).isEqualTo(big);
    }
}
