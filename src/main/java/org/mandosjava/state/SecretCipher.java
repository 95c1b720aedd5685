package org.mandosjava.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.bcpg.ContainedPacket;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.S2K;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyEncSessionPacket;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * Encrypts a client's runtime secret the way the Python server stores {@code encrypted_secret}
 * (spec §8): an OpenPGP symmetrically encrypted message (SEIPD v1 with MDC, AES-256, iterated and
 * salted S2K) whose passphrase is derived from the client's clients.conf secret, so a secret saved
 * by either server can be read by this code, and a changed clients.conf secret makes it unreadable.
 * <p>
 * The passphrase is raw bytes (the escaped form may hold any byte), while Bouncy Castle turns
 * {@code char[]} passphrases into UTF-8; so the S2K key derivation (RFC 4880 §3.7.1) is done here on
 * the bytes themselves, and plugged into Bouncy Castle's encryptor and decryptor.
 */
public final class SecretCipher {
    /** GnuPG cannot take longer passphrases; Mandos switches to the escaped form past this. */
    static final int MAX_HEX_PASSPHRASE = 2048;
    private static final byte[] PREFIX = {'m', 'a', 'n', 'd', 'o', 's'};
    /**
     * Encoded S2K count 0x60 = 65,536 hashed bytes. The passphrase is the (high-entropy) clients.conf
     * secret, so stretching adds no protection, while every save of many runtime secrets pays for it.
     */
    private static final int S2K_COUNT = 0x60;
    private static final int S2K_SALT_BYTES = 8;
    private static final int ITERATION_BUFFER_BYTES = 64 * 1024;

    private final SecureRandom random;

    public SecretCipher(SecureRandom random) {
        this.random = random;
    }

    public SecretCipher() {
        this(new SecureRandom());
    }

    /** Thrown when a message cannot be decrypted with the given secret; never names the secret. */
    public static final class DecryptionException extends Exception {
        DecryptionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Mandos's {@code PGPEngine.password_encode}: {@code b"mandos" + hexlify(secret)}, or when that
     * is longer than 2048 bytes, {@code b"mandos" + secret} with backslash, LF and NUL escaped as
     * {@code \\}, {@code \n} and {@code \x00}.
     */
    static byte[] passphrase(byte[] configSecret) {
        byte[] hex = HexFormat.of().formatHex(configSecret).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(PREFIX.length + hex.length);
        out.writeBytes(PREFIX);
        if (PREFIX.length + hex.length <= MAX_HEX_PASSPHRASE) {
            out.writeBytes(hex);
            return out.toByteArray();
        }
        for (byte b : configSecret) {
            switch (b) {
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case 0 -> out.writeBytes(new byte[] {'\\', 'x', '0', '0'});
                default -> out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** An OpenPGP message (binary) holding {@code plain}, openable with {@code configSecret}. */
    public byte[] encrypt(byte[] plain, byte[] configSecret) {
        try {
            ByteArrayOutputStream literal = new ByteArrayOutputStream(plain.length + 32);
            PGPLiteralDataGenerator literalGenerator = new PGPLiteralDataGenerator();
            try (OutputStream l = literalGenerator.open(literal, PGPLiteralData.BINARY, "", plain.length,
                    new Date(0))) {
                l.write(plain);
            }
            byte[] literalBytes = literal.toByteArray();

            PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                    new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                            .setWithIntegrityPacket(true).setSecureRandom(random));
            // The S2K output is the message key itself, as gpg --symmetric writes it (no ESK).
            generator.setForceSessionKey(false);
            byte[] salt = new byte[S2K_SALT_BYTES];
            random.nextBytes(salt);
            generator.addMethod(new RawPassphraseMethod(passphrase(configSecret),
                    new S2K(HashAlgorithmTags.SHA256, salt, S2K_COUNT)));
            ByteArrayOutputStream out = new ByteArrayOutputStream(literalBytes.length + 128);
            try (OutputStream e = generator.open(out, literalBytes.length)) {
                e.write(literalBytes);
            }
            return out.toByteArray();
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("OpenPGP encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts a message made by {@link #encrypt} or by Mandos's {@code gpg --symmetric}
     * (possibly compressed). Integrity protection is required and checked.
     */
    public byte[] decrypt(byte[] message, byte[] configSecret) throws DecryptionException {
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(
                    PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(message)));
            Object o = factory.nextObject();
            while (o instanceof PGPMarker) o = factory.nextObject();
            if (!(o instanceof PGPEncryptedDataList list) || list.isEmpty()
                    || !(list.get(0) instanceof PGPPBEEncryptedData data)) {
                throw new DecryptionException("not a symmetrically encrypted OpenPGP message", null);
            }
            if (!data.isIntegrityProtected()) {
                throw new DecryptionException("encrypted message has no integrity protection", null);
            }
            byte[] plain;
            try (InputStream clear = data.getDataStream(new RawPassphraseDecryptor(passphrase(configSecret)))) {
                plain = literalContent(new BcPGPObjectFactory(clear));
            }
            if (!data.verify()) throw new DecryptionException("integrity check failed", null);
            return plain;
        } catch (PGPException | IOException | RuntimeException e) {
            throw new DecryptionException("cannot decrypt: " + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] literalContent(BcPGPObjectFactory factory) throws IOException, DecryptionException {
        Object o = factory.nextObject();
        if (o instanceof PGPCompressedData compressed) {
            try {
                return literalContent(new BcPGPObjectFactory(compressed.getDataStream()));
            } catch (PGPException e) {
                throw new DecryptionException("bad compressed data", e);
            }
        }
        if (!(o instanceof PGPLiteralData literal)) {
            throw new DecryptionException("no literal data in the encrypted message", null);
        }
        try (InputStream in = literal.getDataStream()) {
            byte[] content = in.readAllBytes();
            // The MDC check needs the whole plaintext stream consumed.
            while (factory.nextObject() != null) { /* drain */ }
            return content;
        }
    }

    /** RFC 4880 §3.7.1 string-to-key on raw passphrase bytes (simple, salted, iterated+salted). */
    static byte[] deriveKey(byte[] passphrase, S2K s2k, int keyBytes) throws PGPException {
        byte[] key = new byte[keyBytes];
        int filled = 0;
        for (int preload = 0; filled < keyBytes; preload++) {
            MessageDigest digest = digest(s2k.getHashAlgorithm());
            for (int i = 0; i < preload; i++) digest.update((byte) 0);
            switch (s2k.getType()) {
                case S2K.SIMPLE -> digest.update(passphrase);
                case S2K.SALTED -> {
                    digest.update(s2k.getIV());
                    digest.update(passphrase);
                }
                case S2K.SALTED_AND_ITERATED -> hashIterated(digest, s2k.getIV(), passphrase,
                        s2k.getIterationCount());
                default -> throw new PGPException("unsupported S2K type " + s2k.getType());
            }
            byte[] hash = digest.digest();
            int n = Math.min(hash.length, keyBytes - filled);
            System.arraycopy(hash, 0, key, filled, n);
            filled += n;
        }
        return key;
    }

    /**
     * The JDK's digests: GnuPG's default S2K hashes 65 MB per secret, and the JDK's SHA code uses
     * the CPU's SHA instructions where Bouncy Castle's is plain Java.
     */
    private static MessageDigest digest(int hashAlgorithm) throws PGPException {
        String name = switch (hashAlgorithm) {
            case HashAlgorithmTags.SHA1 -> "SHA-1";
            case HashAlgorithmTags.SHA224 -> "SHA-224";
            case HashAlgorithmTags.SHA256 -> "SHA-256";
            case HashAlgorithmTags.SHA384 -> "SHA-384";
            case HashAlgorithmTags.SHA512 -> "SHA-512";
            case HashAlgorithmTags.MD5 -> "MD5";
            default -> throw new PGPException("unsupported S2K hash algorithm " + hashAlgorithm);
        };
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new PGPException("no " + name + " in this JDK", e);
        }
    }

    /** Hashes salt‖passphrase repeated to {@code count} bytes, but at least once in full. */
    private static void hashIterated(MessageDigest d, byte[] salt, byte[] passphrase, long count) {
        int unit = salt.length + passphrase.length;
        long remaining = Math.max(count, unit);
        // GnuPG's calibrated counts reach 65 MB: hash a buffer of whole repetitions, not tiny writes.
        int units = (int) Math.max(1, Math.min(remaining / unit, ITERATION_BUFFER_BYTES / unit));
        byte[] buffer = new byte[units * unit];
        for (int i = 0; i < units; i++) {
            System.arraycopy(salt, 0, buffer, i * unit, salt.length);
            System.arraycopy(passphrase, 0, buffer, i * unit + salt.length, passphrase.length);
        }
        while (remaining > 0) {
            int n = (int) Math.min(remaining, buffer.length);
            d.update(buffer, 0, n);
            remaining -= n;
        }
    }

    private static int keyBytes(int algorithm) throws PGPException {
        return switch (algorithm) {
            case SymmetricKeyAlgorithmTags.AES_128, SymmetricKeyAlgorithmTags.CAST5,
                    SymmetricKeyAlgorithmTags.BLOWFISH, SymmetricKeyAlgorithmTags.CAMELLIA_128 -> 16;
            case SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.TRIPLE_DES,
                    SymmetricKeyAlgorithmTags.CAMELLIA_192 -> 24;
            case SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.TWOFISH,
                    SymmetricKeyAlgorithmTags.CAMELLIA_256 -> 32;
            default -> throw new PGPException("unsupported symmetric algorithm " + algorithm);
        };
    }

    /** Decryptor whose S2K runs on the raw passphrase bytes. */
    private static final class RawPassphraseDecryptor extends BcPBEDataDecryptorFactory {
        private final byte[] passphrase;

        RawPassphraseDecryptor(byte[] passphrase) {
            super(new char[0], new BcPGPDigestCalculatorProvider());
            this.passphrase = passphrase;
        }

        @Override
        public byte[] makeKeyFromPassPhrase(int keyAlgorithm, S2K s2k) throws PGPException {
            if (s2k == null || s2k.getType() == S2K.ARGON_2) {
                throw new PGPException("unsupported S2K");
            }
            return deriveKey(passphrase, s2k, keyBytes(keyAlgorithm));
        }
    }

    /**
     * A single passphrase method whose S2K output is the message key directly (OpenPGP v4 SKESK
     * without an encrypted session key), as {@code gpg --symmetric} writes it.
     */
    private static final class RawPassphraseMethod extends BcPBEKeyEncryptionMethodGenerator {
        private final byte[] passphrase;
        private final S2K s2k;

        RawPassphraseMethod(byte[] passphrase, S2K s2k) {
            super(new char[0]);
            this.passphrase = passphrase;
            this.s2k = s2k;
        }

        @Override
        public byte[] getKey(int encAlgorithm) throws PGPException {
            return deriveKey(passphrase, s2k, keyBytes(encAlgorithm));
        }

        @Override
        public ContainedPacket generate(PGPDataEncryptorBuilder builder, byte[] sessionKey) throws PGPException {
            if (sessionKey != null && !MessageDigest.isEqual(sessionKey, getKey(builder.getAlgorithm()))) {
                // Bouncy Castle chose a random session key: this packet would not carry it.
                throw new PGPException("expected the S2K output to be the message key");
            }
            return SymmetricKeyEncSessionPacket.createV4Packet(builder.getAlgorithm(), s2k, null);
        }
    }
}
