package org.mandosjava.openpgp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/** A client's OpenPGP key as both halves: the server encrypts to the public one, the client decrypts. */
public record ClientOpenPgpKey(PGPSecretKeyRing secretKeys, PGPPublicKeyRing publicKeys) {

    /** The primary key's v4 fingerprint, 40 upper-case hex digits: clients.conf {@code fingerprint}. */
    public String fingerprint() {
        return OpenPgpKeys.fingerprint(publicKeys);
    }

    /** {@code pubkey.txt} content: ASCII armor with a {@code Comment:} header, as GnuPG exports it. */
    public byte[] armoredPublicKey(String comment) {
        return armored(publicKeys::encode, comment);
    }

    /** {@code seckey.txt} content: the unprotected secret key in ASCII armor. */
    public byte[] armoredSecretKey(String comment) {
        return armored(secretKeys::encode, comment);
    }

    private interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    private static byte[] armored(Encoder encoder, String comment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream armor = Armor.output(bytes, comment)) {
            encoder.encode(armor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
