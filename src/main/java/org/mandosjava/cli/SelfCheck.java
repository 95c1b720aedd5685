package org.mandosjava.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.mandosjava.audit.AuditFileVerifier;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.GnuTlsPriority;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;

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
    /**
     * System property: where to put an AOT cache trained on the daemon; set, the loopback check
     * fetches from the daemon in a JVM of its own ({@link TrainingDaemon}) instead of in this one.
     */
    static final String AOT_CACHE_PROPERTY = "mandos.check.aot-cache";
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private interface Check {
        void run() throws Exception;
    }

    private SelfCheck() {}

    static int run(PrintStream out) {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("key_id of the spec's Ed25519 vector", SelfCheck::keyIdVector);
        checks.put("default GnuTLS priority string", () -> GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY));
        checks.put("clients.conf parsing", SelfCheck::clientsConf);
        checks.put("the server started as the daemon: TLS handshake and secret over loopback, audit chain",
                SelfCheck::loopbackServer);
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
        // Not a check: either serves, but an administrator may want to know which one a storm meets.
        ServerHandshake handshake = new ServerHandshake(TlsPolicy.mandosDefault());
        out.println("info  TLS curve arithmetic: " + handshake.curves());
        out.println("info  TLS record encryption: " + handshake.records());
        out.println(failures == 0 ? "All " + checks.size() + " checks passed." : failures + " of "
                + checks.size() + " checks failed.");
        return failures == 0 ? ServerMain.EXIT_OK : ServerMain.EXIT_FAILURE;
    }

    private static void keyIdVector() throws IOException {
        String id = KeyId.of(Base64.getDecoder().decode(VECTOR_SPKI));
        expect(id.equals(VECTOR_KEY_ID), "got " + id);
    }

    private static void clientsConf() throws Exception {
        try (CheckDirectory dir = CheckDirectory.create()) {
            Path file = dir.path().resolve("clients.conf");
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
        }
    }

    /**
     * The server started as the daemon starts ({@link Rehearsal}), on a generated configuration in a
     * private directory, serving over loopback: TLS handshakes, the secret, and a release record in
     * the audit file for each, whose chain then verifies.
     */
    private static void loopbackServer() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake client = new ClientHandshake(key.getPublic(), key.getPrivate());
        byte[] secret = "self-check \u00e9\n".getBytes(StandardCharsets.UTF_8);
        try (CheckDirectory check = CheckDirectory.create()) {
            Path dir = check.path();
            writePrivate(dir.resolve("mandos.conf"), "[DEFAULT]\n");
            writePrivate(dir.resolve("clients.conf"), "[self-check]\nkey_id = " + client.keyId() + "\nsecret = "
                    + Base64.getEncoder().encodeToString(secret) + "\nchecker = true\n");
            int fetches = fetches();
            String cache = System.getProperty(AOT_CACHE_PROPERTY);
            Path audit = cache == null ? serveAndFetch(dir, client, secret, fetches)
                    : trainAndFetch(dir, Path.of(cache), client, secret, fetches);
            AuditFileVerifier.Result chain = AuditFileVerifier.verify(audit);
            expect(chain.intact(), "audit file: " + chain.problem());
            long released;
            try (var lines = Files.lines(audit)) {
                released = lines.filter(l -> l.contains("\"event\":\"secret_released\"")).count();
            }
            expect(released == fetches, released + " release records in the audit file for " + fetches + " fetches");
        }
    }

    /** The in-process check: the daemon's start rehearsed in this JVM. Returns the audit file. */
    private static Path serveAndFetch(Path dir, ClientHandshake client, byte[] secret, int fetches)
            throws Exception {
        Files.createDirectory(dir.resolve("state"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path audit = dir.resolve("audit.jsonl");
        // The port is probed, then bound by the server: another process may take it in between.
        for (int attempt = 1; ; attempt++) {
            String[] args = serverArgs(dir, dir.resolve("state"), audit, freeLoopbackPort());
            Rehearsal rehearsal = new Rehearsal();
            var errors = new ByteArrayOutputStream();
            var status = new AtomicInteger(-1);
            Thread server = Thread.ofPlatform().name("self-check-server").start(() -> status.set(
                    ServerMain.rehearse(args, new PrintStream(errors, true, StandardCharsets.UTF_8), rehearsal)));
            InetSocketAddress address;
            try {
                address = rehearsal.awaitServing(START_LIMIT);
            } catch (ExecutionException notServing) {
                server.join();
                String why = errors.toString(StandardCharsets.UTF_8).strip();
                if (attempt < 3 && why.contains("in use")) continue;
                throw new IOException("the server did not start (exit status " + status.get() + "): " + why);
            } catch (TimeoutException e) {
                rehearsal.requestStop();
                server.join(START_LIMIT.toMillis());
                throw new IOException("the server did not serve within " + START_LIMIT.toSeconds() + " s");
            }
            try {
                fetch(address, client, secret, fetches);
            } finally {
                rehearsal.requestStop();
                server.join(START_LIMIT.toMillis());
            }
            expect(!server.isAlive(), "the server did not stop within " + START_LIMIT.toSeconds() + " s");
            expect(status.get() == ServerMain.EXIT_OK, "the server exited with status " + status.get() + ": "
                    + errors.toString(StandardCharsets.UTF_8).strip());
            return audit;
        }
    }

    /**
     * The check against the daemon in a JVM of its own, which records an AOT cache that is then
     * installed at {@code target}. Returns the audit file, a copy outside the daemon's directory.
     */
    private static Path trainAndFetch(Path dir, Path target, ClientHandshake client, byte[] secret, int fetches)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            Path work = TrainingDaemon.workDirectory(target);
            int port = freeLoopbackPort();
            String[] args = serverArgs(dir, work.resolve("state"), work.resolve("audit.jsonl"), port);
            try (TrainingDaemon daemon = TrainingDaemon.start(work, List.of(args))) {
                Socket first = connectWhileStarting(daemon, port);
                if (first == null) {
                    String why = daemon.log();
                    if (attempt < 3 && why.contains("in use")) continue;
                    throw new IOException("the daemon did not start (exit status " + daemon.stop() + "): " + why);
                }
                try (first) {
                    first.setSoTimeout(10_000);
                    expect(Arrays.equals(client.fetch(first), secret), "the first fetch did not get the secret");
                }
                fetch(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), client, secret, fetches - 1);
                int status = daemon.stop();
                expect(status == ServerMain.EXIT_OK, "the daemon exited with status " + status + ": " + daemon.log());
                daemon.install(target);
                Path audit = dir.resolve("audit.jsonl");
                Files.copy(work.resolve("audit.jsonl"), audit);
                return audit;
            }
        }
    }

    /** A connection to the daemon once it listens, or null if it exits first (or takes too long). */
    private static Socket connectWhileStarting(TrainingDaemon daemon, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (daemon.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                return new Socket(InetAddress.getByName("127.0.0.1"), port);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return null;
    }

    private static void fetch(InetSocketAddress address, ClientHandshake client, byte[] secret, int times)
            throws IOException {
        for (int i = times; i > 0; i--) {
            byte[] received;
            try (Socket s = new Socket(address.getAddress(), address.getPort())) {
                s.setSoTimeout(10_000);
                received = client.fetch(s);
            }
            expect(Arrays.equals(received, secret), "received " + received.length + " bytes, not the secret");
        }
    }

    /** The daemon's arguments: in the foreground, on loopback, without D-Bus or Zeroconf. */
    private static String[] serverArgs(Path config, Path state, Path audit, int port) {
        return new String[] {"--configdir", config.toString(), "--statedir", state.toString(), "--foreground",
                "--no-dbus", "--no-zeroconf", "--address", "127.0.0.1", "--port", Integer.toString(port),
                "--audit-log", audit.toString()};
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
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
