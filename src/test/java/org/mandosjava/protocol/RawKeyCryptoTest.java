package org.mandosjava.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsHMAC;
import org.bouncycastle.tls.crypto.TlsHash;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.mandosjava.platform.KernelRandom;

/**
 * The runtime's SHA-2 and AES-GCM inside Bouncy Castle's TLS engine give what Bouncy Castle's own
 * give, byte for byte: the transcript hash (with clones taken mid-way, as the engine does), HMAC
 * (whose padded key states are copies), HKDF, and records sealed by one and opened by the other,
 * whether nettle or the runtime seals them.
 */
class RawKeyCryptoTest {
    private static final int[] HASHES = {CryptoHashAlgorithm.sha256, CryptoHashAlgorithm.sha384,
            CryptoHashAlgorithm.sha512};

    private final RawKeyCrypto ours = new RawKeyCrypto(new SecureRandom());
    private final BcTlsCrypto bc = new BcTlsCrypto(new SecureRandom());
    private final Random random = new Random(20261202);

    @Test
    void usesTheRuntimesDigests() {
        for (int hash : HASHES) assertThat(ours.createDigest(hash)).isInstanceOf(JdkDigest.class);
        assertThat(ours.createDigest(CryptoHashAlgorithm.sha1)).isNotInstanceOf(JdkDigest.class);
    }

    @Test
    void transcriptHashAndItsClonesMatchBouncyCastle() {
        for (int hash : HASHES) {
            for (int round = 0; round < 50; round++) {
                TlsHash a = ours.createHash(hash);
                TlsHash b = bc.createHash(hash);
                byte[] first = bytes(random.nextInt(300));
                byte[] second = bytes(random.nextInt(300));
                a.update(first, 0, first.length);
                b.update(first, 0, first.length);
                TlsHash aClone = a.cloneHash();
                a.update(second, 0, second.length);
                b.update(second, 0, second.length);
                assertThat(a.calculateHash()).isEqualTo(b.calculateHash());
                // The clone was taken before the second part and is not disturbed by it.
                TlsHash bFirst = bc.createHash(hash);
                bFirst.update(first, 0, first.length);
                assertThat(aClone.calculateHash()).isEqualTo(bFirst.calculateHash());
            }
        }
    }

    @Test
    void hmacMatchesBouncyCastleAcrossRepeatedUse() {
        for (int hash : HASHES) {
            for (int round = 0; round < 50; round++) {
                TlsHMAC a = ours.createHMACForHash(hash);
                TlsHMAC b = bc.createHMACForHash(hash);
                // Keys longer than a block are hashed first; both sides of that boundary are covered.
                byte[] key = bytes(1 + random.nextInt(200));
                a.setKey(key, 0, key.length);
                b.setKey(key, 0, key.length);
                for (int use = 0; use < 3; use++) {
                    byte[] message = bytes(random.nextInt(500));
                    a.update(message, 0, message.length);
                    b.update(message, 0, message.length);
                    assertThat(a.calculateMAC()).isEqualTo(b.calculateMAC());
                }
            }
        }
    }

    @Test
    void hkdfMatchesBouncyCastle() throws Exception {
        for (int hash : new int[] {CryptoHashAlgorithm.sha256, CryptoHashAlgorithm.sha384}) {
            byte[] ikm = bytes(48);
            byte[] info = bytes(30);
            TlsSecret a = ours.hkdfInit(hash).hkdfExtract(hash, ours.createSecret(ikm)).hkdfExpand(hash, info, 70);
            TlsSecret b = bc.hkdfInit(hash).hkdfExtract(hash, bc.createSecret(ikm)).hkdfExpand(hash, info, 70);
            assertThat(a.extract()).isEqualTo(b.extract());
        }
    }

    @Test
    void hmacRehashesItsKeyBlockRatherThanCloningDigestStates() {
        // Bouncy Castle's HMAC saves and restores the padded key states of a Memoable digest, and
        // each restore of a JDK digest is a clone: a third of a handshake's allocation.
        assertThat(ours.createDigest(CryptoHashAlgorithm.sha384)).isInstanceOf(JdkDigest.class)
                .isNotInstanceOf(org.bouncycastle.util.Memoable.class);
    }

    @Test
    void digestCopyIsIndependent() {
        JdkDigest digest = (JdkDigest) ours.createDigest(CryptoHashAlgorithm.sha256);
        digest.update((byte) 1);
        JdkDigest copy = digest.copy();
        digest.update((byte) 2);
        Digest expected = bc.createDigest(CryptoHashAlgorithm.sha256);
        expected.update((byte) 1);
        byte[] ofOne = finish(expected);
        assertThat(finish(copy)).isEqualTo(ofOne);
        expected.update((byte) 1);
        expected.update((byte) 2);
        assertThat(finish(digest)).isEqualTo(finish(expected));
    }

    @Test
    void recordsAreSealedByNettleWhereItIsAndByTheRuntimeWithoutIt() throws Exception {
        assertThat(ours.aesGcm(true)).isInstanceOf(NettleAesGcmCipher.class);
        assertThat(ours.records()).isEqualTo("nettle (libnettle.so.8)");
        RawKeyCrypto withoutNettle = new RawKeyCrypto(new SecureRandom(), false);
        assertThat(withoutNettle.aesGcm(false)).isInstanceOf(JdkAesGcm.class);
        assertThat(withoutNettle.records()).isEqualTo("the runtime (SunJCE)");
    }

    @Test
    void gcmRecordsOpenWithBouncyCastleAndBack() throws Exception {
        for (boolean nettle : new boolean[] {true, false}) {
            RawKeyCrypto crypto = new RawKeyCrypto(new SecureRandom(), nettle);
            for (int keySize : new int[] {16, 32}) {
                for (int round = 0; round < 30; round++) {
                    byte[] key = bytes(keySize);
                    byte[] nonce = bytes(12);
                    byte[] aad = bytes(5);
                    byte[] plain = bytes(random.nextInt(2000));

                    TlsAEADCipherImpl seal = crypto.aesGcm(true);
                    seal.setKey(key, 0, key.length);
                    seal.init(nonce, 16);
                    byte[] sealed = new byte[seal.getOutputSize(plain.length)];
                    assertThat(seal.doFinal(aad, plain, 0, plain.length, sealed, 0)).isEqualTo(sealed.length);
                    assertThat(bcGcm(false, key, nonce, aad, sealed)).as("%s", seal).isEqualTo(plain);

                    byte[] fromBc = bcGcm(true, key, nonce, aad, plain);
                    TlsAEADCipherImpl open = crypto.aesGcm(false);
                    open.setKey(key, 0, key.length);
                    open.init(nonce, 16);
                    // In place, as the record layer decrypts.
                    int expected = open.getOutputSize(fromBc.length);
                    assertThat(expected).isEqualTo(plain.length);
                    assertThat(open.doFinal(aad, fromBc, 0, fromBc.length, fromBc, 0)).isEqualTo(plain.length);
                    assertThat(Arrays.copyOf(fromBc, plain.length)).as("%s", open).isEqualTo(plain);
                }
            }
        }
    }

    @Test
    void aRecordCipherTakesItsNextKeyAsTheRecordLayerRekeys() throws Exception {
        TlsAEADCipherImpl seal = ours.aesGcm(true);
        for (int epoch = 0; epoch < 3; epoch++) {
            byte[] key = bytes(32);
            byte[] nonce = bytes(12);
            seal.setKey(key, 0, key.length);
            seal.init(nonce, 16);
            byte[] plain = bytes(64);
            byte[] sealed = new byte[80];
            seal.doFinal(null, plain, 0, plain.length, sealed, 0);
            assertThat(bcGcm(false, key, nonce, new byte[0], sealed)).isEqualTo(plain);
        }
    }

    @Test
    void recordsUseTheRuntimesOwnAesGcmWithoutSearchingEveryProvider() {
        // Named, not searched for: the search would instantiate the providers listed before it.
        assertThat(JdkAesGcm.provider()).isNotNull();
        assertThat(JdkAesGcm.provider().getName()).isEqualTo("SunJCE");
    }

    @Test
    void tamperedRecordIsABadRecordMac() throws Exception {
        for (boolean nettle : new boolean[] {true, false}) {
            byte[] key = bytes(32);
            byte[] nonce = bytes(12);
            byte[] aad = bytes(5);
            byte[] sealed = bcGcm(true, key, nonce, aad, bytes(100));
            sealed[5] ^= 1;
            TlsAEADCipherImpl open = new RawKeyCrypto(new SecureRandom(), nettle).aesGcm(false);
            open.setKey(key, 0, key.length);
            open.init(nonce, 16);
            assertThatThrownBy(() -> open.doFinal(aad, sealed, 0, sealed.length, sealed, 0))
                    .isInstanceOfSatisfying(TlsFatalAlert.class,
                            e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.bad_record_mac));
        }
    }

    @Test
    void aTagOtherThanTlsOnesIsOurBugNotTheRecords() throws Exception {
        TlsAEADCipherImpl open = ours.aesGcm(false);
        open.setKey(bytes(16), 0, 16);
        assertThatThrownBy(() -> open.init(bytes(12), 8)).isInstanceOfSatisfying(TlsFatalAlert.class,
                e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.internal_error));
    }

    @Test
    void noncesComeFromTheKernelsGeneratorWhenItIsTheOneGiven() {
        RawKeyCrypto kernel = new RawKeyCrypto(KernelRandom.orDefault());
        TlsNonceGenerator nonces = kernel.createNonceGenerator(new byte[0]);
        byte[] a = nonces.generateNonce(32);
        byte[] b = nonces.generateNonce(32);
        assertThat(a).hasSize(32).isNotEqualTo(b).isNotEqualTo(new byte[32]);
        // Any other generator keeps Bouncy Castle's own stretching of it.
        assertThat(ours.createNonceGenerator(new byte[0]).generateNonce(16)).hasSize(16);
        assertThat(ours.createNonceGenerator(new byte[0]).getClass().getName()).startsWith("org.bouncycastle.");
    }

    private byte[] bcGcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
        GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[gcm.getOutputSize(input.length)];
        int n = gcm.processBytes(input, 0, input.length, out, 0);
        n += gcm.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    private static byte[] finish(Digest digest) {
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
