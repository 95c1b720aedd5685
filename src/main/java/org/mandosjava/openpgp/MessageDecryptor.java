package org.mandosjava.openpgp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/**
 * Decrypts an OpenPGP message (binary or armored) with an unprotected secret key, as the Mandos
 * client does with GPGME: compression is unpacked, signatures are skipped unverified, and the literal
 * data is returned byte for byte. The integrity check (MDC) is enforced when present.
 */
public final class MessageDecryptor {
    private MessageDecryptor() {}

    /** @throws OpenPgpDecryptionException if the message is malformed or not for these keys */
    public static byte[] decrypt(byte[] message, PGPSecretKeyRing keys) throws OpenPgpDecryptionException {
        try (InputStream in = Armor.decoding(message)) {
            PGPEncryptedDataList encrypted = firstEncryptedDataList(new BcPGPObjectFactory(in));
            for (Object candidate : encrypted) {
                if (!(candidate instanceof PGPPublicKeyEncryptedData data)) continue;
                KeyIdentifier recipient = data.getKeyIdentifier();
                for (PGPSecretKey secretKey : candidateKeys(keys, recipient)) {
                    try {
                        return decrypt(data, secretKey);
                    } catch (PGPException e) {
                        // An anonymous recipient (wildcard key ID) means trying each key in turn.
                        if (!recipient.isWildcard()) throw e;
                    }
                }
            }
            throw new OpenPgpDecryptionException("message is not encrypted to this key");
        } catch (PGPException | IOException | RuntimeException e) {
            throw new OpenPgpDecryptionException("cannot decrypt: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private static byte[] decrypt(PGPPublicKeyEncryptedData data, PGPSecretKey secretKey)
            throws PGPException, IOException, OpenPgpDecryptionException {
        PGPPrivateKey privateKey = secretKey.extractPrivateKey(null); // unprotected: no passphrase
        if (privateKey == null) throw new OpenPgpDecryptionException("secret key material is missing");
        byte[] plaintext;
        try (InputStream clear = data.getDataStream(new BcPublicKeyDataDecryptorFactory(privateKey))) {
            plaintext = literalContent(new BcPGPObjectFactory(clear));
        }
        if (data.isIntegrityProtected() && !data.verify()) {
            throw new OpenPgpDecryptionException("integrity check (MDC) failed");
        }
        return plaintext;
    }

    private static List<PGPSecretKey> candidateKeys(PGPSecretKeyRing keys, KeyIdentifier recipient) {
        if (recipient.isWildcard()) {
            List<PGPSecretKey> all = new ArrayList<>();
            keys.getSecretKeys().forEachRemaining(all::add);
            return all;
        }
        PGPSecretKey key = keys.getSecretKey(recipient);
        return key == null ? List.of() : List.of(key);
    }

    private static PGPEncryptedDataList firstEncryptedDataList(BcPGPObjectFactory factory)
            throws IOException, OpenPgpDecryptionException {
        for (Object object = factory.nextObject(); object != null; object = factory.nextObject()) {
            if (object instanceof PGPEncryptedDataList list) return list;
            if (!(object instanceof PGPMarker)) break;
        }
        throw new OpenPgpDecryptionException("not an OpenPGP encrypted message");
    }

    private static byte[] literalContent(BcPGPObjectFactory factory)
            throws IOException, PGPException, OpenPgpDecryptionException {
        for (Object object = factory.nextObject(); object != null; object = factory.nextObject()) {
            if (object instanceof PGPCompressedData compressed) {
                return literalContent(new BcPGPObjectFactory(compressed.getDataStream()));
            } else if (object instanceof PGPLiteralData literal) {
                byte[] content = literal.getDataStream().readAllBytes();
                drain(factory); // reach the end so the MDC can be checked
                return content;
            } else if (!(object instanceof PGPOnePassSignatureList || object instanceof PGPSignatureList
                    || object instanceof PGPMarker)) {
                throw new OpenPgpDecryptionException("unexpected packet " + object.getClass().getSimpleName());
            }
        }
        throw new OpenPgpDecryptionException("no literal data in message");
    }

    private static void drain(BcPGPObjectFactory factory) throws IOException {
        while (factory.nextObject() != null) {
            // trailing signature packets: not verified, as by mandos-client
        }
    }
}
