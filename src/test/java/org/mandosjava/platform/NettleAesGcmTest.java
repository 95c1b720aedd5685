package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * nettle's AES-GCM gives what the runtime's gives, for both key sizes and every length a TLS record
 * can have, in place and apart; and refuses what a hostile peer would send: a forged tag, a flipped
 * ciphertext bit, a record shorter than its tag, without writing a byte of plaintext.
 */
class NettleAesGcmTest {
    private final Random random = new Random(20261204);

    @Test
    void isAvailableWhereTheServerRuns() {
        // Debian's libnettle8 (GnuTLS's crypto, a dependency of the package and of mandos-client).
        assertThat(NettleAesGcm.available()).isTrue();
    }

    @Test
    void sealsAsTheGcmSpecificationSays() {
        HexFormat hex = HexFormat.of();
        // McGrew and Viega, test case 16: AES-256 with associated data and a partial last block.
        byte[] key = hex.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] nonce = hex.parseHex("cafebabefacedbaddecaf888");
        byte[] aad = hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plain = hex.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] out = new byte[plain.length + 16];
        assertThat(NettleAesGcm.seal(key, nonce, aad, plain, 0, plain.length, out, 0)).isEqualTo(plain.length + 16);
        assertThat(hex.formatHex(out)).isEqualTo("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                + "76fc6ece0f4e1768cddf8853bb2d551b");
    }

    @Test
    void agreesWithTheRuntimeForEveryRecordShape() throws Exception {
        int[] lengths = {0, 1, 15, 16, 17, 255, 1024, 4095, 4096, 4097, 16384, 16385};
        for (int keySize : new int[] {16, 32}) {
            for (int length : lengths) {
                byte[] key = bytes(keySize);
                byte[] nonce = bytes(12);
                byte[] aad = bytes(length % 2 == 0 ? 5 : 0);
                byte[] plain = bytes(length);

                byte[] ours = new byte[length + 16 + 7];
                NettleAesGcm.seal(key, nonce, aad, plain, 0, length, ours, 7);
                byte[] theirs = runtime(Cipher.ENCRYPT_MODE, key, nonce, aad, plain);
                assertThat(Arrays.copyOfRange(ours, 7, ours.length)).as("AES-%d, %d bytes", keySize * 8, length)
                        .isEqualTo(theirs);

                byte[] back = new byte[length + 3];
                assertThat(NettleAesGcm.open(key, nonce, aad, theirs, 0, theirs.length, back, 3)).isEqualTo(length);
                assertThat(Arrays.copyOfRange(back, 3, back.length)).isEqualTo(plain);
            }
        }
    }

    @Test
    void worksInPlaceAsTheRecordLayerCallsIt() throws Exception {
        byte[] key = bytes(32);
        byte[] nonce = bytes(12);
        byte[] aad = bytes(5);
        byte[] plain = bytes(3000);
        byte[] record = new byte[5 + plain.length + 16];
        System.arraycopy(plain, 0, record, 5, plain.length);
        NettleAesGcm.seal(key, nonce, aad, record, 5, plain.length, record, 5);
        assertThat(Arrays.copyOfRange(record, 5, record.length))
                .isEqualTo(runtime(Cipher.ENCRYPT_MODE, key, nonce, aad, plain));
        assertThat(NettleAesGcm.open(key, nonce, aad, record, 5, plain.length + 16, record, 5)).isEqualTo(plain.length);
        assertThat(Arrays.copyOfRange(record, 5, 5 + plain.length)).isEqualTo(plain);
    }

    @Test
    void refusesAForgedRecordAndWritesNothing() throws Exception {
        byte[] key = bytes(16);
        byte[] nonce = bytes(12);
        byte[] aad = bytes(5);
        byte[] sealed = runtime(Cipher.ENCRYPT_MODE, key, nonce, aad, bytes(100));
        for (int bit : new int[] {0, 8 * 50 + 3, 8 * 99 + 7, 8 * 100, 8 * 115 + 7}) {
            byte[] forged = sealed.clone();
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] out = new byte[100];
            Arrays.fill(out, (byte) 0x5a);
            assertThat(NettleAesGcm.open(key, nonce, aad, forged, 0, forged.length, out, 0)).as("bit %d", bit).isEqualTo(-1);
            assertThat(out).as("nothing written for bit %d", bit).containsOnly(0x5a);
        }
        // Other associated data (another record header), another nonce (a replayed record).
        byte[] out = new byte[100];
        assertThat(NettleAesGcm.open(key, nonce, bytes(5), sealed, 0, sealed.length, out, 0)).isEqualTo(-1);
        assertThat(NettleAesGcm.open(key, bytes(12), aad, sealed, 0, sealed.length, out, 0)).isEqualTo(-1);
        // Shorter than a tag: nothing to check, nothing to open.
        assertThat(NettleAesGcm.open(key, nonce, aad, sealed, 0, 15, out, 0)).isEqualTo(-1);
    }

    @Test
    void refusesSizesItWasNotMadeFor() {
        byte[] data = new byte[32];
        assertThatThrownBy(() -> NettleAesGcm.seal(new byte[24], new byte[12], new byte[0], data, 0, 16, data, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> NettleAesGcm.seal(new byte[16], new byte[16], new byte[0], data, 0, 16, data, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce");
        assertThatThrownBy(() -> NettleAesGcm.seal(new byte[16], new byte[12], new byte[0], data, 0, 17, data, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
        assertThatThrownBy(() -> NettleAesGcm.open(new byte[16], new byte[12], new byte[0], data, 20, 16, data, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
    }

    private static byte[] runtime(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
