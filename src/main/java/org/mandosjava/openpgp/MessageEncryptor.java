package org.mandosjava.openpgp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * Encrypts bytes to an OpenPGP key as a binary message: PKESK v3, then SEIPD v1 (AES-256 with
 * modification detection) holding one binary literal data packet. That is what every GnuPG the
 * Mandos client may carry can read; RFC 9580 AEAD packets are deliberately never produced.
 */
public final class MessageEncryptor {
    private MessageEncryptor() {}

    public static byte[] encrypt(byte[] plaintext, PGPPublicKeyRing recipient, SecureRandom random) {
        return encrypt(plaintext, OpenPgpKeys.encryptionKey(recipient), random);
    }

    public static byte[] encrypt(byte[] plaintext, PGPPublicKey encryptionKey, SecureRandom random) {
        try {
            byte[] literal = literalPacket(plaintext);
            PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                    new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                            .setWithIntegrityPacket(true)
                            .setSecureRandom(random));
            generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(encryptionKey).setSecureRandom(random));
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            // A known length gives definite-length packets, the plainest form for any reader.
            try (OutputStream encrypted = generator.open(message, literal.length)) {
                encrypted.write(literal);
            }
            return message.toByteArray();
        } catch (PGPException e) {
            throw new IllegalStateException("OpenPGP encryption failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] literalPacket(byte[] plaintext) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        PGPLiteralDataGenerator generator = new PGPLiteralDataGenerator();
        try (OutputStream data = generator.open(
                packet, PGPLiteralData.BINARY, "", plaintext.length, new Date())) {
            data.write(plaintext);
        }
        return packet.toByteArray();
    }
}
