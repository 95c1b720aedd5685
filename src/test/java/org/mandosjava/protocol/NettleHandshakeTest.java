package org.mandosjava.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcX25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandosjava.platform.Nettle;

/**
 * The server's handshake with its curve arithmetic on nettle and on Bouncy Castle alone (the server
 * without libhogweed): the same key_id and secret, and the same refusals of a peer that cannot sign
 * for its key, presents a key that is not a point or not Ed25519, or sends a low-order key share.
 */
class NettleHandshakeTest {
    private static final byte[] SECRET = "the disk password, encrypted".getBytes(StandardCharsets.US_ASCII);
    private final SecureRandom random = new SecureRandom();

    @ParameterizedTest(name = "nettle: {0}")
    @ValueSource(booleans = {true, false})
    void deliversTheSecret(boolean nettle) throws Exception {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(random);
        ClientHandshake client = new ClientHandshake(spki(key), key, TlsPolicy.mandosDefault());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> keyId = serve(listener, nettle);
            try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                assertThat(client.fetch(socket)).isEqualTo(SECRET);
            }
            assertThat(keyId.get(10, TimeUnit.SECONDS)).isEqualTo(client.keyId());
        }
    }

    @ParameterizedTest(name = "nettle: {0}")
    @ValueSource(booleans = {true, false})
    void refusesAPeerThatSignsWithAnotherKey(boolean nettle) throws Exception {
        Ed25519PrivateKeyParameters presented = new Ed25519PrivateKeyParameters(random);
        Ed25519PrivateKeyParameters signing = new Ed25519PrivateKeyParameters(random);
        ClientHandshake thief = new ClientHandshake(spki(presented), signing, TlsPolicy.mandosDefault());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> keyId = serve(listener, nettle);
            try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                assertThatThrownBy(() -> thief.fetch(socket)).isInstanceOf(IOException.class);
            }
            assertThat(keyId).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingRootCause().isInstanceOfSatisfying(TlsFatalAlert.class,
                            e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.decrypt_error));
        }
    }

    @Test
    void refusesAKeyThatIsNotAPoint() throws Exception {
        Ed25519PrivateKeyParameters signing = new Ed25519PrivateKeyParameters(random);
        byte[] spki = spki(signing);
        // Half of all 32-byte strings decode to no point of the curve; take one of those.
        byte[] y = new byte[32];
        do {
            random.nextBytes(y);
            y[31] &= 0x7f;
        } while (org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(y, 0));
        System.arraycopy(y, 0, spki, spki.length - 32, 32);
        ClientHandshake client = new ClientHandshake(spki, signing, TlsPolicy.mandosDefault());
        // nettle finds it while verifying; Bouncy Castle when it decodes the key, before that.
        assertThat(refusal(client, true)).isEqualTo(AlertDescription.decrypt_error);
        assertThat(refusal(client, false)).isEqualTo(AlertDescription.unsupported_certificate);
    }

    @Test
    void refusesAnotherKindOfKeyPresentedForAnEd25519Signature() throws Exception {
        Ed25519PrivateKeyParameters signing = new Ed25519PrivateKeyParameters(random);
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        byte[] spki = ec.generateKeyPair().getPublic().getEncoded();
        for (boolean nettle : new boolean[] {true, false}) {
            assertThat(refusal(new ClientHandshake(spki, signing, TlsPolicy.mandosDefault()), nettle))
                    .as("nettle %s", nettle).isEqualTo(AlertDescription.certificate_unknown);
        }
    }

    /** The alert our side ends a handshake with {@code client} with. */
    private short refusal(ClientHandshake client, boolean nettle) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> keyId = serve(listener, nettle);
            try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                assertThatThrownBy(() -> client.fetch(socket)).isInstanceOf(IOException.class);
            }
            Throwable failure = catchThrowable(() -> keyId.get(10, TimeUnit.SECONDS));
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof TlsFatalAlert alert) return alert.getAlertDescription();
            }
            throw new AssertionError("no TLS alert in the failure", failure);
        }
    }

    @Test
    void agreesWithBouncyCastlesExchange() throws IOException {
        BcTlsCrypto bc = new BcTlsCrypto(random);
        for (int i = 0; i < 20; i++) {
            TlsAgreement ours = new NettleX25519(new RawKeyCrypto(random, true));
            TlsAgreement theirs = new BcX25519(bc);
            byte[] ourShare = ours.generateEphemeral();
            ours.receivePeerValue(theirs.generateEphemeral());
            theirs.receivePeerValue(ourShare);
            assertThat(ours.calculateSecret().extract()).isEqualTo(theirs.calculateSecret().extract());
        }
    }

    @Test
    void lowOrderKeyShareFailsTheHandshakeAndForgetsTheKey() throws IOException {
        assertThat(Nettle.available()).isTrue();
        NettleX25519 ours = new NettleX25519(new RawKeyCrypto(random, true));
        ours.generateEphemeral();
        byte[] one = new byte[32];
        one[0] = 1;
        ours.receivePeerValue(one);
        assertThatThrownBy(ours::calculateSecret).isInstanceOfSatisfying(TlsFatalAlert.class,
                e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.handshake_failure));
        assertThat(ours).extracting("privateKey").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY).containsOnly(0);
    }

    /** Accepts one connection and serves {@link #SECRET}; completes with the peer's key_id. */
    private CompletableFuture<String> serve(ServerSocket listener, boolean nettle) {
        ServerHandshake handshake = new ServerHandshake(TlsPolicy.mandosDefault(), new RawKeyCrypto(random, nettle));
        assertThat(handshake.curves()).startsWith(nettle ? "nettle" : "Bouncy Castle");
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(10_000);
                VersionLine.check(VersionLine.read(socket.getInputStream()));
                ServerHandshake.Session session = handshake.handshake(socket);
                session.send(SECRET);
                session.bye();
                result.complete(session.keyId());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static byte[] spki(Ed25519PrivateKeyParameters key) throws IOException {
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded();
    }
}
