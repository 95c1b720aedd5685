package org.mandosjava.interop;

import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that are not Mandos clients, or broken ones, each cost only their own connection: a real
 * client fetching at the same time still gets its password, and the server stays up.
 */
class HostilePeersIT {
    static final int IDLE_CONNECTIONS = 300;

    @TempDir Path tmp;
    final List<Socket> sockets = new ArrayList<>();
    ServerProcess server;

    @AfterEach
    void cleanUp() throws Exception {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
    }

    private Socket connectFrom(String from, String to, int port) throws Exception {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new java.net.InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new java.net.InetSocketAddress(InetAddress.getByName(to), port));
        return s;
    }

    private Socket connect(int port) throws Exception {
        Socket s = new Socket(InetAddress.getByName("::1"), port);
        sockets.add(s);
        return s;
    }

    @Test
    void garbageStallsAndFloodsDoNotStopALegitimateFetch() throws Exception {
        Keys keys = Keys.generate(Keys.Keygen.REAL, tmp.resolve("keys"), "test");
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("clients.conf"), keys.clientsConfSection(Keys.Keygen.REAL, "legit", "open sesame".getBytes()));
        int port = ServerProcess.freePort();
        server = ServerProcess.start(ServerProcess.args(conf, tmp, "::", port));

        // Connect and say nothing, from another address than the real client's: one address may
        // hold only 128 unauthenticated connections, and its further ones are closed at once.
        for (int i = 0; i < IDLE_CONNECTIONS; i++) connectFrom("127.0.0.2", "127.0.0.1", port);

        byte[] garbage = new byte[16 * 1024];
        new Random(1).nextBytes(garbage);
        connect(port).getOutputStream().write(garbage);
        connect(port).getOutputStream().write("2\r\n".getBytes(StandardCharsets.US_ASCII));
        connect(port).getOutputStream().write("1\r\nGET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // A TLS record header announcing far more than will ever come: a stalled handshake.
        connect(port).getOutputStream().write(new byte[] {'1', '\r', '\n', 0x16, 0x03, 0x03, 0x40, 0x00, 0x01});
        Socket early = connect(port);
        early.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
        early.close();
        connect(port).close();

        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(30));
        assertThat(result.stdoutText()).isEqualTo("open sesame");

        server.awaitLog(l -> l.contains("Unknown protocol version: '2'"), Duration.ofSeconds(5));
        server.awaitLog(l -> l.contains("handshake failed"), Duration.ofSeconds(30));
        // Beyond 128 unauthenticated connections from one address, its new ones are closed at once;
        // the first idle ones are cut once the version-line limit has passed.
        server.awaitLog(l -> l.contains("unauthenticated connections (max_unauthenticated_per_address)"),
                Duration.ofSeconds(5));
        for (Socket idle : List.of(sockets.get(IDLE_CONNECTIONS - 1), sockets.get(0))) {
            idle.setSoTimeout(30_000);
            InputStream in = idle.getInputStream();
            assertThat(in.read()).as("server closed the idle connection").isEqualTo(-1);
        }
        server.awaitLog(l -> l.contains("timed out: version line not done within 10 s"), Duration.ofSeconds(5));
        assertThat(server.isAlive()).isTrue();

        // And it still serves.
        assertThat(MandosClients.runReal(keys, "127.0.0.1:" + port, Duration.ofSeconds(30)).stdoutText())
                .isEqualTo("open sesame");
    }
}
