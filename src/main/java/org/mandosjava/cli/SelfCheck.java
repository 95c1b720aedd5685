package org.mandosjava.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.GnuTlsPriority;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.SystemScheduler;
import org.mandosjava.server.ConnectionLimits;
import org.mandosjava.server.MandosServer;

/**
 * {@code mandos --check}: real self-tests of the installed program, the parts an administrator can't
 * see working until a client reboots: configuration parsing, the key_id computation against the
 * vector measured on the original, and a TLS handshake with our own client role over loopback.
 */
final class SelfCheck {
    /** Spec §14: the Ed25519 SPKI of the worked example and the key_id GnuTLS computed for it. */
    static final String VECTOR_SPKI = "MCowBQYDK2VwAyEAMwl8qmRVmd8nf9E2oyF/RrPw/GgxwL5h/dZeeqCyasE=";
    static final String VECTOR_KEY_ID = "E912FDD27D3DBECA166C142D40A8FEDBE81E066EC7639825E2BD4B388E856753";
    /** System property: how many times the loopback check fetches (see {@link #fetches()}). */
    static final String FETCHES_PROPERTY = "mandos.check.fetches";

    private interface Check {
        void run() throws Exception;
    }

    private SelfCheck() {}

    static int run(PrintStream out) {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("key_id of the spec's Ed25519 vector", SelfCheck::keyIdVector);
        checks.put("default GnuTLS priority string", () -> GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY));
        checks.put("clients.conf parsing", SelfCheck::clientsConf);
        checks.put("TLS handshake and secret over loopback", SelfCheck::loopbackFetch);
        int failures = 0;
        for (var check : checks.entrySet()) {
            try {
                check.getValue().run();
                out.println("ok    " + check.getKey());
            } catch (Exception | AssertionError e) {
                failures++;
                out.println("FAIL  " + check.getKey() + ": " + e);
            }
        }
        out.println(failures == 0 ? "All " + checks.size() + " checks passed." : failures + " of "
                + checks.size() + " checks failed.");
        return failures == 0 ? ServerMain.EXIT_OK : ServerMain.EXIT_FAILURE;
    }

    private static void keyIdVector() throws IOException {
        String id = KeyId.of(Base64.getDecoder().decode(VECTOR_SPKI));
        expect(id.equals(VECTOR_KEY_ID), "got " + id);
    }

    private static void clientsConf() throws Exception {
        Path dir = Files.createTempDirectory("mandos-check");
        Path file = dir.resolve("clients.conf");
        try {
            Files.writeString(file, """
                    [DEFAULT]
                    timeout = PT10M
                    interval = 5m 30s

                    [Host-1]
                    key_id = e912fdd27d3dbeca166c142d40a8fedbe81e066ec7639825e2bd4b388e856753
                    host = host1.example
                    checker = fping -q -- %%(host)s
                    secret =
                        aGVs
                        bG8=
                    """);
            List<ClientConfig> clients = ClientsConf.load(file);
            expect(clients.size() == 1, "expected 1 client, got " + clients.size());
            ClientConfig c = clients.get(0);
            expect(c.name().equals("Host-1"), "name " + c.name());
            expect(c.keyId().equals(VECTOR_KEY_ID), "key_id " + c.keyId());
            expect(Arrays.equals(c.secret(), "hello".getBytes(StandardCharsets.US_ASCII)), "secret differs");
            expect(c.timeout().equals(Duration.ofMinutes(10)), "timeout " + c.timeout());
            expect(c.interval().equals(Duration.ofSeconds(330)), "interval " + c.interval());
            expect(c.checker().equals("fping -q -- %(host)s"), "checker " + c.checker());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void loopbackFetch() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake client = new ClientHandshake(key.getPublic(), key.getPrivate());
        byte[] secret = "self-check \u00e9\n".getBytes(StandardCharsets.UTF_8);
        ClientConfig config = new ClientConfig("self-check", client.keyId(), "", secret, "", "true",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, true, Map.of(), Path.of("(self-check)"), 0);
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (SystemScheduler scheduler = new SystemScheduler();
                MandosServer server = new MandosServer(socket,
                        new ClientRegistry(List.of(config), scheduler, new CheckerRunner()),
                new ServerHandshake(GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY)),
                ConnectionLimits.defaults())) {
            server.start();
            for (int i = fetches(); i > 0; i--) {
                byte[] received;
                try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
                    s.setSoTimeout(10_000);
                    received = client.fetch(s);
                }
                expect(Arrays.equals(received, secret), "received " + received.length + " bytes, not the secret");
            }
        }
    }

    /**
     * How many times the loopback check fetches: once, unless {@value #FETCHES_PROPERTY} says more.
     * A run that trains the JVM's AOT cache (postinst) fetches a few hundred times, so that the
     * cache also holds the method profiles of a warm TLS path, not only its classes.
     */
    static int fetches() {
        return Math.max(1, Integer.getInteger(FETCHES_PROPERTY, 1));
    }

    private static void expect(boolean condition, String message) throws IOException {
        if (!condition) throw new IOException(message);
    }
}
