package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;

/** accept() failing (out of file descriptors): said once, backed off, and then serving again. */
class AcceptFailureTest {
    static final int FAILURES = 5;

    private final KeyPair known = TestClients.ed25519();
    private final Logger logger = Logger.getLogger(MandosServer.class.getName());
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }
        @Override public void flush() { }
        @Override public void close() { }
    };
    private MandosServer server;

    /** A listening socket whose first accept() calls fail as they do when the process is out of descriptors. */
    static final class FailingServerSocket extends ServerSocket {
        final AtomicInteger failuresLeft = new AtomicInteger(FAILURES);

        FailingServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            if (failuresLeft.getAndDecrement() > 0) throw new IOException("Too many open files");
            return super.accept();
        }
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        if (server != null) server.close();
    }

    @Test
    void outOfDescriptorsIsSaidOnceWithTheCountsAndTheServerRecovers() throws Exception {
        logger.addHandler(capture);
        ClientRegistry registry = new ClientRegistry(List.of(TestClients.client("alpha", known, "s3cret", true)),
                new ManualScheduler(java.time.Instant.now()), new FakeCheckerRunner());
        FailingServerSocket socket = new FailingServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = new MandosServer(socket, registry, new ServerHandshake(TlsPolicy.mandosDefault()),
                new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(1), 16));
        long start = System.nanoTime();
        server.start();

        byte[] secret;
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            secret = new ClientHandshake(known.getPublic(), known.getPrivate()).fetch(s);
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(new String(secret, StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(lines).filteredOn(l -> l.startsWith("accept() failed")).singleElement().asString()
                .matches("accept\\(\\) failed: too many open files: 0 connections open, \\d+ descriptors,"
                        + " limit (\\d+|unknown); retrying with back-off up to 1000 ms");
        assertThat(lines).contains("Accepting connections again after " + FAILURES + " failed accept() calls");
        // 10 + 20 + 40 + 80 + 160 ms of back-off before the sixth call succeeds.
        assertThat(elapsedMillis).as("backed off").isGreaterThanOrEqualTo(310);
    }
}
