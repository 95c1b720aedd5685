package org.mandosjava.interop;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.TlsKeyFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Debian mandos-client 1.8.16 against our packaged server, configured by clients.conf
 * sections the real mandos-keygen printed. This is the proof that the server works.
 */
class RealClientInteropIT {
    static final int MANY = 32;
    /** Leading/trailing blanks, a newline, non-ASCII: must all arrive byte for byte. */
    static final byte[] ALPHA_PASSWORD = " pä ss\tword\n".getBytes(StandardCharsets.UTF_8);

    @TempDir static Path tmp;
    static Keys keys;
    static TlsKeyFiles disabledKey;
    static TlsKeyFiles strangerKey;
    static List<TlsKeyFiles> many = new ArrayList<>();
    static ServerProcess server;
    static int port;

    @BeforeAll
    static void startServer() throws Exception {
        keys = Keys.generate(Keys.Keygen.REAL, tmp.resolve("keys"), "test");
        StringBuilder conf = new StringBuilder("[DEFAULT]\nchecker = true\n\n");
        conf.append(keys.clientsConfSection(Keys.Keygen.REAL, "alpha", ALPHA_PASSWORD)).append('\n');
        disabledKey = TlsKeyFiles.generate(keys.dir(), "disabled");
        conf.append(disabledKey.section(keys.clientsConfSection(Keys.Keygen.REAL, "off",
                "never".getBytes(StandardCharsets.UTF_8)))).append("enabled = false\n\n");
        strangerKey = TlsKeyFiles.generate(keys.dir(), "stranger");
        for (int i = 0; i < MANY; i++) {
            TlsKeyFiles key = TlsKeyFiles.generate(keys.dir(), "many" + i);
            many.add(key);
            conf.append(key.section(keys.clientsConfSection(Keys.Keygen.REAL, "many-" + i,
                    ("password " + i).getBytes(StandardCharsets.UTF_8)))).append('\n');
        }
        Path configDir = Files.createDirectories(tmp.resolve("conf"));
        Path clientsConf = configDir.resolve("clients.conf");
        Files.writeString(clientsConf, conf);
        Files.setPosixFilePermissions(clientsConf, PosixFilePermissions.fromString("rw-------"));
        port = ServerProcess.freePort();
        server = ServerProcess.start(ServerProcess.args(configDir, Files.createDirectories(tmp.resolve("state")),
                "::", port));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            assertThat(server.stop()).as("exit status after SIGTERM").isZero();
        }
    }

    @Test
    void exactPasswordArrivesOverIpv6Loopback() throws Exception {
        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(30));
        assertThat(result.stdout()).isEqualTo(ALPHA_PASSWORD);
        assertThat(result.exitStatus()).isZero();
        server.awaitLog(l -> l.contains("Sending secret to alpha"), Duration.ofSeconds(5));
    }

    @Test
    void exactPasswordArrivesOverIpv4Loopback() throws Exception {
        var result = MandosClients.runReal(keys, "127.0.0.1:" + port, Duration.ofSeconds(30));
        assertThat(result.stdout()).isEqualTo(ALPHA_PASSWORD);
        server.awaitLog(l -> l.contains("Sending secret to alpha") && l.contains("::ffff:127.0.0.1"),
                Duration.ofSeconds(5));
    }

    /** One key share, for X25519, and the GnuTLS client takes it (its own debug log says so). */
    @Test
    void realClientTakesTheOneX25519KeyShare() throws Exception {
        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(30), "--debug");
        assertThat(result.stdout()).isEqualTo(ALPHA_PASSWORD);
        assertThat(result.stderr())
                .contains("Received key share for X25519")
                .doesNotContain("Received key share for SECP256R1")
                .contains("Selected group X25519")
                .doesNotContainIgnoringCase("hello retry request");
    }

    /** A client whose priority string allows only P-256 asks again, and still gets its password. */
    @Test
    void realClientLimitedToP256GetsThePasswordAfterAHelloRetry() throws Exception {
        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(30), "--debug",
                "--priority=SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA"
                        + ":-GROUP-ALL:+GROUP-SECP256R1");
        assertThat(result.stdout()).isEqualTo(ALPHA_PASSWORD);
        assertThat(result.stderr()).containsIgnoringCase("hello retry request").contains("Selected group SECP256R1");
    }

    @Test
    void unknownKeyGetsNothing() throws Exception {
        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(6), strangerKey.clientOptions());
        assertThat(result.stdout()).isEmpty();
        assertThat(result.exitStatus()).as("ended by timeout(1)").isNotZero();
        server.awaitLog(l -> l.contains("Client not found for key ID: " + strangerKey.keyId()),
                Duration.ofSeconds(5));
    }

    @Test
    void disabledClientGetsNothing() throws Exception {
        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(6), disabledKey.clientOptions());
        assertThat(result.stdout()).isEmpty();
        server.awaitLog(l -> l.contains("Client off is refused: Disabled"), Duration.ofSeconds(5));
    }

    @Test
    void thirtyTwoRealClientsAtOnceAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(MANY);
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (TlsKeyFiles key : many) {
                Callable<CommandResult> fetch = () -> MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(60), key.clientOptions());
                results.add(pool.submit(fetch));
            }
            for (int i = 0; i < MANY; i++) {
                assertThat(results.get(i).get().stdoutText()).as("client many-" + i).isEqualTo("password " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
