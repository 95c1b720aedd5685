package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * nettle's X25519 and Ed25519 verification give what Bouncy Castle's give, on valid input and on the
 * input a hostile peer would send: low-order points, values past the field's prime, forged, truncated
 * and malleated signatures, keys that are not points.
 */
class NettleTest {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    /** The order of the Ed25519 base point. */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private final Random random = new Random(20261203);

    @Test
    void isAvailableWhereTheServerRuns() {
        // Debian's libhogweed6 (GnuTLS's crypto, a dependency of the package and of mandos-client).
        assertThat(Nettle.available()).isTrue();
    }

    @Test
    void publicValuesMatchBouncyCastle() {
        for (int i = 0; i < 200; i++) {
            byte[] scalar = bytes(32);
            byte[] ours = new byte[32];
            byte[] theirs = new byte[32];
            Nettle.x25519Base(ours, scalar);
            X25519.scalarMultBase(scalar, 0, theirs, 0);
            assertThat(ours).isEqualTo(theirs);
        }
    }

    @Test
    void agreementMatchesBouncyCastleForAnyPeerValue() {
        for (int i = 0; i < 300; i++) {
            byte[] scalar = bytes(32);
            // Any 32 bytes a peer may send, the top bit and values past the prime included.
            byte[] point = bytes(32);
            if (i % 3 == 0) point = littleEndian(P.add(BigInteger.valueOf(i)), point[31] < 0);
            byte[] ours = new byte[32];
            byte[] theirs = new byte[32];
            Nettle.x25519(ours, scalar, point);
            X25519.scalarMult(scalar, 0, point, 0, theirs, 0);
            assertThat(ours).as("point %s", HexFormat.of().formatHex(point)).isEqualTo(theirs);
        }
    }

    @Test
    void lowOrderPeerValuesGiveTheAllZeroSecret() {
        BigInteger[] lowOrder = {BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE)};
        for (BigInteger u : lowOrder) {
            byte[] out = new byte[32];
            Nettle.x25519(out, bytes(32), littleEndian(u, false));
            assertThat(out).as("u = %s", u).containsOnly(0);
        }
    }

    @Test
    void wrongSizesAreRefusedBeforeTheLibrarySeesThem() {
        assertThatThrownBy(() -> Nettle.x25519(new byte[32], new byte[32], new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nettle.x25519Base(new byte[16], new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] key = new byte[32];
        Ed25519.generatePublicKey(bytes(32), 0, key, 0);
        assertThat(Nettle.ed25519Verify(key, new byte[10], new byte[63])).isFalse();
        assertThat(Nettle.ed25519Verify(new byte[31], new byte[10], new byte[64])).isFalse();
    }

    @Test
    void signaturesVerifyAsInBouncyCastle() {
        for (int i = 0; i < 100; i++) {
            byte[] secret = bytes(32);
            byte[] key = new byte[32];
            Ed25519.generatePublicKey(secret, 0, key, 0);
            byte[] message = bytes(random.nextInt(200));
            byte[] signature = new byte[64];
            Ed25519.sign(secret, 0, message, 0, message.length, signature, 0);
            assertThat(Nettle.ed25519Verify(key, message, signature)).isTrue();

            byte[] forged = signature.clone();
            forged[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            assertVerifiesAsBouncyCastle(key, message, forged);
            assertThat(Nettle.ed25519Verify(key, message, forged)).isFalse();
            if (message.length > 0) {
                byte[] altered = message.clone();
                altered[random.nextInt(altered.length)] ^= 1;
                assertThat(Nettle.ed25519Verify(key, altered, signature)).isFalse();
            }
            byte[] otherKey = key.clone();
            otherKey[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
            assertVerifiesAsBouncyCastle(otherKey, message, signature);
        }
    }

    @Test
    void malleatedSignatureIsRefused() {
        // S + L verifies in a checker that does not insist on S < L: RFC 8032 §5.1.7 says reject.
        byte[] secret = bytes(32);
        byte[] key = new byte[32];
        Ed25519.generatePublicKey(secret, 0, key, 0);
        byte[] message = bytes(40);
        byte[] signature = new byte[64];
        Ed25519.sign(secret, 0, message, 0, message.length, signature, 0);
        byte[] s = new byte[32];
        System.arraycopy(signature, 32, s, 0, 32);
        byte[] malleated = signature.clone();
        System.arraycopy(littleEndian(fromLittleEndian(s).add(L), false), 0, malleated, 32, 32);
        assertThat(Nettle.ed25519Verify(key, message, malleated)).isFalse();
        assertVerifiesAsBouncyCastle(key, message, malleated);
    }

    @Test
    void keysThatAreNotPointsVerifyNothing() {
        byte[] message = bytes(40);
        byte[] signature = bytes(64);
        signature[63] &= 0x0f; // S below L, so only the key can be what is wrong
        for (int i = 0; i < 200; i++) {
            byte[] key = bytes(32);
            assertVerifiesAsBouncyCastle(key, message, signature);
        }
        // y = p, a value past the field's prime.
        assertThat(Nettle.ed25519Verify(littleEndian(P, false), message, signature)).isFalse();
    }

    private static void assertVerifiesAsBouncyCastle(byte[] key, byte[] message, byte[] signature) {
        boolean bc = Ed25519.verify(signature, 0, key, 0, message, 0, message.length);
        assertThat(Nettle.ed25519Verify(key, message, signature))
                .as("key %s, signature %s", HexFormat.of().formatHex(key), HexFormat.of().formatHex(signature))
                .isEqualTo(bc);
    }

    private static byte[] littleEndian(BigInteger value, boolean topBit) {
        byte[] big = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < big.length; i++) out[i] = big[big.length - 1 - i];
        if (topBit) out[31] |= (byte) 0x80;
        return out;
    }

    private static BigInteger fromLittleEndian(byte[] le) {
        byte[] big = new byte[le.length + 1];
        for (int i = 0; i < le.length; i++) big[big.length - 1 - i] = le[i];
        return new BigInteger(big);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
