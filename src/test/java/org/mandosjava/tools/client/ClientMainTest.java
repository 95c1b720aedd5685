package org.mandosjava.tools.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.openpgp.MessageEncryptor;
import org.mandosjava.openpgp.OpenPgpKeys;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ScriptedMandosServer;
import org.mandosjava.testing.ScriptedMandosServer.Reply;

/** mandos-client in-process against a scripted server that speaks the real protocol. */
class ClientMainTest {
    static final byte[] PASSWORD = concat("  pä ss\t\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, 0});
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir static Path tmp;
    static Keys keys;
    static byte[] encryptedPassword;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = Keys.writeInProcess(tmp.resolve("keys"), "client", 1024);
        encryptedPassword = MessageEncryptor.encrypt(PASSWORD, OpenPgpKeys.readPublicKeys(keys.publicKey()),
                new SecureRandom());
    }

    record Run(int status, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Run client(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        // On a virtual thread with a deadline: the client retries forever by design.
        Future<Integer> status = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> new ClientMain(out, errStream).execute(args));
        try {
            return new Run(status.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), out.toByteArray(),
                    err.toString(StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            status.cancel(true);
            throw new AssertionError("client still running after " + TIMEOUT + "; stderr: " + err);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    static String[] withKeys(String... args) {
        List<String> all = new ArrayList<>(keys.clientKeyOptions());
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    void writesTheDecryptedPasswordExactly() throws Exception {
        try (ScriptedMandosServer server = ScriptedMandosServer.start(new Reply.Send(encryptedPassword))) {
            Run run = client(withKeys("--connect=" + server.connectAddress()));

            assertThat(run.status()).as(run.err() + server.failures()).isZero();
            assertThat(run.out()).isEqualTo(PASSWORD);
            assertThat(run.err()).isEmpty();
            assertThat(server.versionLines()).containsExactly("1");
            assertThat(server.keyIds()).containsExactly(
                    TlsKeyPair.read(keys.tlsPublicKey(), keys.tlsPrivateKey()).keyId());
        }
    }

    @Test
    void acceptsAnUnbracketedAddress() throws Exception {
        try (ScriptedMandosServer server = ScriptedMandosServer.start(new Reply.Send(encryptedPassword))) {
            Run run = client(withKeys("--connect", "::1:" + server.port()));

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(PASSWORD);
        }
    }

    @Test
    void takesTheDefaultPriorityStringExplicitly() throws Exception {
        try (ScriptedMandosServer server = ScriptedMandosServer.start(new Reply.Send(encryptedPassword))) {
            Run run = client(withKeys("--connect=" + server.connectAddress(),
                    "--priority=SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA"));

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(PASSWORD);
        }
    }

    @Test
    void retriesQuietlyUntilAServerAnswers() throws Exception {
        try (ScriptedMandosServer server = ScriptedMandosServer.start(new Reply.Hangup(), new Reply.Nothing(),
                new Reply.Send("not OpenPGP".getBytes(StandardCharsets.US_ASCII)), new Reply.Send(encryptedPassword))) {
            Run run = client(withKeys("--connect=" + server.connectAddress(), "--retry=0"));

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(PASSWORD);
            assertThat(run.err()).isEmpty();
            assertThat(server.versionLines()).hasSize(4);
        }
    }

    @Test
    void debugReportsWhyAttemptsFailed() throws Exception {
        try (ScriptedMandosServer server = ScriptedMandosServer.start(new Reply.Hangup(), new Reply.Nothing(),
                new Reply.Send("not OpenPGP".getBytes(StandardCharsets.US_ASCII)), new Reply.Send(encryptedPassword))) {
            Run run = client(withKeys("--connect=" + server.connectAddress(), "--retry=0", "--debug"));

            assertThat(run.status()).isZero();
            assertThat(run.err()).contains("Mandos plugin mandos-client: ", "failed", "sent no password",
                    "Decryption of the data", "Retrying");
            assertThat(run.err()).doesNotContain("pä");
        }
    }

    @Test
    void aFailedWriteOfThePasswordExitsTempfail() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ScriptedMandosServer server = ScriptedMandosServer.start(new Reply.Send(encryptedPassword))) {
            int status = new ClientMain(broken, new PrintStream(err, true, StandardCharsets.UTF_8))
                    .execute(withKeys("--connect=" + server.connectAddress()));

            assertThat(status).isEqualTo(75);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("Broken pipe").doesNotContain("pä");
        }
    }

    @Test
    void usageErrorsExit64() throws Exception {
        assertThat(client(withKeys("--connect=localhost"))).satisfies(r -> {
            assertThat(r.status()).isEqualTo(64);
            assertThat(r.err()).contains("No colon in address");
        });
        assertThat(client(withKeys("--connect=[::1]:port")).err()).contains("Bad port number");
        assertThat(client(withKeys("--connect=[::1]:70000")).status()).isEqualTo(64);
        assertThat(client(withKeys("--connect=example.org:1")).err()).contains("Bad address");
        assertThat(client(withKeys("--connect=[::1]:1", "--retry=-1")).status()).isEqualTo(64);
        assertThat(client(withKeys("--no-such-option")).status()).isEqualTo(64);
    }

    @Test
    void withoutConnectAndNoInterfaceToBrowseOnItExits1() throws Exception {
        Run run = client(withKeys("--interface=no-such-if0"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("Interface \"no-such-if0\" does not exist",
                "Could not find a network interface");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingKeyFilesExit69() throws Exception {
        Run run = client("--connect=[::1]:1", "--tls-pubkey=" + tmp.resolve("none.pem"),
                "--tls-privkey=" + keys.tlsPrivateKey(), "--seckey=" + keys.secretKey());

        assertThat(run.status()).isEqualTo(69);
        assertThat(run.err()).contains("none.pem: No such file or directory");
    }

    @Test
    void versionLikeTheOriginal() throws Exception {
        Run run = client("--version");

        assertThat(run.status()).isEqualTo(64);
        assertThat(run.outText()).isEqualTo("Mandos plugin mandos-client: mandos-client 1.8.16\n");
    }

    @Test
    void compatibilityOptionsAreAccepted() {
        ClientOptions options = new ClientOptions();
        new picocli.CommandLine(options).parseArgs("-c", "[::1]:9", "-i", "eth0,eth1", "--interface=none",
                "--dh-bits=2048", "--dh-params=/x", "--network-hook-dir=/y", "--priority=NORMAL", "--delay=1.5",
                "--retry=3", "-p", "a", "-s", "b", "-T", "c", "-t", "d", "--debug");

        assertThat(options.connect).isEqualTo("[::1]:9");
        assertThat(options.interfaces).containsExactly("eth0", "eth1", "none");
        assertThat(options.retry).isEqualTo(3.0);
        assertThat(options.delay).isEqualTo(1.5);
        assertThat(List.of(options.pubkey, options.seckey, options.tlsPubkey, options.tlsPrivkey))
                .containsExactly(Path.of("a"), Path.of("b"), Path.of("c"), Path.of("d"));
        assertThat(options.debug).isTrue();
    }

    @Test
    void addressParsing() {
        assertThat(ServerAddress.parse("[::1]:1234").toString()).isEqualTo("[0:0:0:0:0:0:0:1]:1234");
        assertThat(ServerAddress.parse("192.0.2.1:80").port()).isEqualTo(80);
        assertThat(ServerAddress.parse("fe80::1%1:80").address().getHostAddress()).startsWith("fe80");
    }

    @Test
    void oneInterfaceScopesALinkLocalAddress() throws Exception {
        ServerAddress scoped = ServerAddress.parse("[fe80::1]:80").scopedTo("lo");
        ServerAddress global = ServerAddress.parse("[2001:db8::1]:80").scopedTo("lo");

        assertThat(((java.net.Inet6Address) scoped.address()).getScopeId())
                .isEqualTo(java.net.NetworkInterface.getByName("lo").getIndex());
        assertThat(((java.net.Inet6Address) global.address()).getScopeId()).isZero();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
