package org.mandosjava.protocol;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * One direction of a TLS record layer's AES-GCM on the runtime's cipher, which the JIT compiles to
 * the CPU's AES and carry-less multiply instructions; Bouncy Castle's portable AES-GCM also builds
 * multiplication tables for every new key, four per connection (two directions, handshake and
 * application keys). Used where nettle is missing ({@link NettleAesGcmCipher} otherwise).
 *
 * <p>Not thread-safe: one per direction of one connection, as the record layer uses it.
 */
final class JdkAesGcm implements TlsAEADCipherImpl {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /**
     * The runtime's own AES-GCM. Asked for by name: a lookup by transformation alone instantiates
     * every provider listed before it (the elliptic-curve provider's curve tables among them), about
     * 15 ms of interpreted code in the first connection after a start.
     */
    private static final String RUNTIME_PROVIDER = "SunJCE";
    /**
     * The provider found once: looking the transformation up through every provider costs more
     * than a record's encryption, and each connection makes four of these.
     */
    private static final Provider PROVIDER = find();

    private final Cipher cipher;
    private final int mode;
    private SecretKeySpec key;

    JdkAesGcm(boolean encrypting) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
        this.mode = encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    }

    /** Whether this runtime has AES-GCM (a restricted provider configuration may not). */
    static boolean available() {
        return PROVIDER != null;
    }

    /** The provider every record cipher comes from; null if the runtime has no AES-GCM. */
    static Provider provider() {
        return PROVIDER;
    }

    private static Provider find() {
        Provider own = Security.getProvider(RUNTIME_PROVIDER);
        if (own != null && own.getService("Cipher", TRANSFORMATION) != null) return own;
        try {
            return Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    @Override
    public void setKey(byte[] key, int offset, int length) {
        this.key = new SecretKeySpec(key, offset, length, "AES");
    }

    @Override
    public void init(byte[] nonce, int macSize) throws IOException {
        try {
            cipher.init(mode, key, new GCMParameterSpec(macSize * 8, nonce));
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "AES-GCM init: " + e.getMessage(), e);
        }
    }

    @Override
    public int getOutputSize(int inputLength) {
        return cipher.getOutputSize(inputLength);
    }

    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
            int outputOffset) throws IOException {
        if (additionalData != null && additionalData.length > 0) cipher.updateAAD(additionalData);
        try {
            // One call for the whole record: the record layer decrypts in place, and a provider may
            // refuse to hand out plaintext before the tag is checked.
            return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
        } catch (AEADBadTagException e) {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "AES-GCM: " + e.getMessage(), e);
        }
    }
}
