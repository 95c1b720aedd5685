package org.mandosjava.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenPgpTest {
    /** Small keys keep the test fast; the structure is what mandos-keygen makes at 4096 bits. */
    private static final int TEST_BITS = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    static ClientOpenPgpKey key;
    static ClientOpenPgpKey otherKey;

    @BeforeAll
    static void generate() {
        OpenPgpKeyGenerator generator = new OpenPgpKeyGenerator(RANDOM);
        key = generator.generate("host (comment) <a@example.org>", TEST_BITS, TEST_BITS, Duration.ZERO);
        otherKey = generator.generate("other", TEST_BITS, TEST_BITS, Duration.ofDays(1));
    }

    @Test
    void keysAreV4RsaPrimaryWithOneEncryptionSubkey() {
        List<PGPPublicKey> keys = new java.util.ArrayList<>();
        key.publicKeys().forEach(keys::add);

        assertThat(keys).hasSize(2);
        assertThat(keys).allSatisfy(k -> assertThat(k.getVersion()).isEqualTo(PublicKeyPacket.VERSION_4));
        assertThat(keys.get(0).isMasterKey()).isTrue();
        assertThat(keys.get(0).getUserIDs().next()).isEqualTo("host (comment) <a@example.org>");
        assertThat(OpenPgpKeys.encryptionKey(key.publicKeys())).isEqualTo(keys.get(1));
        assertThat(key.fingerprint()).matches("[0-9A-F]{40}");
    }

    @Test
    void armorLooksLikeGnupgExport() throws Exception {
        String pub = new String(key.armoredPublicKey("Mandos client key for host"), StandardCharsets.US_ASCII);
        String sec = new String(key.armoredSecretKey("Mandos client key for host"), StandardCharsets.US_ASCII);

        assertThat(pub).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: Mandos client key for host\n\n")
                .endsWith("-----END PGP PUBLIC KEY BLOCK-----\n").doesNotContain("Version:");
        assertThat(pub.lines().filter(l -> l.matches("=[A-Za-z0-9+/]{4}"))).hasSize(1); // CRC line
        assertThat(sec).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----\n");
        PGPPublicKeyRing parsed = OpenPgpKeys.parsePublicKeys(pub.getBytes(StandardCharsets.US_ASCII), "pub");
        assertThat(OpenPgpKeys.fingerprint(parsed)).isEqualTo(key.fingerprint());
        PGPSecretKeyRing parsedSecret = OpenPgpKeys.parseSecretKeys(sec.getBytes(StandardCharsets.US_ASCII), "sec");
        assertThat(parsedSecret.getSecretKey().extractPrivateKey(null)).as("unprotected").isNotNull();
    }

    @Test
    void everyByteValueRoundTrips() throws Exception {
        byte[] plaintext = new byte[256 + 3];
        for (int i = 0; i < 256; i++) plaintext[i] = (byte) i;
        plaintext[256] = ' ';
        plaintext[257] = '\n';
        plaintext[258] = '\t';

        byte[] message = MessageEncryptor.encrypt(plaintext, key.publicKeys(), RANDOM);

        assertThat(MessageDecryptor.decrypt(message, key.secretKeys())).isEqualTo(plaintext);
    }

    @Test
    void emptyPasswordRoundTrips() throws Exception {
        byte[] message = MessageEncryptor.encrypt(new byte[0], key.publicKeys(), RANDOM);

        assertThat(MessageDecryptor.decrypt(message, key.secretKeys())).isEmpty();
    }

    @Test
    void messageIsBinaryPkeskToTheSubkeyThenSeipdV1() throws Exception {
        byte[] message = MessageEncryptor.encrypt("x".getBytes(StandardCharsets.US_ASCII), key.publicKeys(), RANDOM);

        PGPEncryptedDataList list = (PGPEncryptedDataList) new BcPGPObjectFactory(message).nextObject();
        PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
        assertThat(list.size()).isEqualTo(1);
        assertThat(data.getKeyIdentifier().getKeyId()).isEqualTo(OpenPgpKeys.encryptionKey(key.publicKeys()).getKeyID());
        assertThat(data.isIntegrityProtected()).isTrue();
        assertThat(data.isAEAD()).isFalse();
        assertThat(message[0] & 0x80).as("binary packet header, not armor").isNotZero();
    }

    @Test
    void armoredMessagesAreAcceptedToo() throws Exception {
        byte[] binary = MessageEncryptor.encrypt("pw".getBytes(StandardCharsets.US_ASCII), key.publicKeys(), RANDOM);
        java.io.ByteArrayOutputStream armored = new java.io.ByteArrayOutputStream();
        try (var out = Armor.output(armored, null)) {
            out.write(binary);
        }

        assertThat(MessageDecryptor.decrypt(armored.toByteArray(), key.secretKeys()))
                .isEqualTo("pw".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anotherKeyCannotDecrypt() {
        byte[] message = MessageEncryptor.encrypt("pw".getBytes(StandardCharsets.US_ASCII), key.publicKeys(), RANDOM);

        assertThatThrownBy(() -> MessageDecryptor.decrypt(message, otherKey.secretKeys()))
                .isInstanceOf(OpenPgpDecryptionException.class).hasMessageContaining("not encrypted to this key");
    }

    @Test
    void tamperingIsDetected() {
        byte[] message = MessageEncryptor.encrypt("password".getBytes(StandardCharsets.US_ASCII), key.publicKeys(), RANDOM);
        message[message.length - 5] ^= 0x01;

        assertThatThrownBy(() -> MessageDecryptor.decrypt(message, key.secretKeys()))
                .isInstanceOf(OpenPgpDecryptionException.class);
    }

    @Test
    void garbageIsNotAMessage() {
        assertThatThrownBy(() -> MessageDecryptor.decrypt("hello".getBytes(StandardCharsets.US_ASCII), key.secretKeys()))
                .isInstanceOf(OpenPgpDecryptionException.class);
    }
}
