package org.mandosjava.openpgp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.bcpg.sig.KeyFlags;

/** Reading key files ({@code pubkey.txt}, {@code seckey.txt}, armored or binary) and facts about keys. */
public final class OpenPgpKeys {
    private OpenPgpKeys() {}

    public static PGPPublicKeyRing readPublicKeys(Path file) throws IOException {
        return parsePublicKeys(Files.readAllBytes(file), file.toString());
    }

    public static PGPSecretKeyRing readSecretKeys(Path file) throws IOException {
        return parseSecretKeys(Files.readAllBytes(file), file.toString());
    }

    /** The first key ring in {@code data}; {@code source} names it in error messages. */
    public static PGPPublicKeyRing parsePublicKeys(byte[] data, String source) throws IOException {
        try (InputStream in = Armor.decoding(data)) {
            Iterator<PGPPublicKeyRing> rings =
                    new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()).getKeyRings();
            if (!rings.hasNext()) throw new IOException(source + ": no OpenPGP public key");
            return rings.next();
        } catch (PGPException | RuntimeException e) {
            throw new IOException(source + ": not an OpenPGP public key: " + e.getMessage(), e);
        }
    }

    public static PGPSecretKeyRing parseSecretKeys(byte[] data, String source) throws IOException {
        try (InputStream in = Armor.decoding(data)) {
            Iterator<PGPSecretKeyRing> rings =
                    new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator()).getKeyRings();
            if (!rings.hasNext()) throw new IOException(source + ": no OpenPGP secret key");
            return rings.next();
        } catch (PGPException | RuntimeException e) {
            // Parsing errors carry no key material, only structure descriptions.
            throw new IOException(source + ": not an OpenPGP secret key: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The primary key's fingerprint as 40 (v4) upper-case hex digits, as in clients.conf. */
    public static String fingerprint(PGPPublicKeyRing keys) {
        return HexFormat.of().withUpperCase().formatHex(keys.getPublicKey().getFingerprint());
    }

    /**
     * The key a password is encrypted to, as GnuPG picks it: a valid subkey flagged for encryption,
     * else any encryption-capable subkey, else the primary key if it can encrypt.
     */
    public static PGPPublicKey encryptionKey(PGPPublicKeyRing keys) {
        PGPPublicKey capable = null;
        for (PGPPublicKey key : keys) {
            if (key.isMasterKey() || !key.isEncryptionKey() || key.hasRevocation()) continue;
            if (hasEncryptionFlag(key)) return key;
            if (capable == null) capable = key;
        }
        if (capable != null) return capable;
        PGPPublicKey primary = keys.getPublicKey();
        if (primary.isEncryptionKey()) return primary;
        throw new IllegalArgumentException(
                "OpenPGP key " + fingerprint(keys) + " has no key that can encrypt");
    }

    private static boolean hasEncryptionFlag(PGPPublicKey subkey) {
        Iterator<PGPSignature> bindings = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (bindings.hasNext()) {
            PGPSignature binding = bindings.next();
            if (binding.getHashedSubPackets() == null) continue;
            int flags = binding.getHashedSubPackets().getKeyFlags();
            if ((flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0) return true;
        }
        return false;
    }
}
