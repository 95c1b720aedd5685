package org.mandosjava.protocol;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.mandosjava.platform.NettleAesGcm;

/**
 * One direction of a TLS record layer's AES-GCM on nettle ({@link NettleAesGcm}): compiled code from
 * the first record of a fresh server, and nothing for its JIT to compile.
 *
 * <p>Not thread-safe: one per direction of one connection, as the record layer uses it.
 */
final class NettleAesGcmCipher implements TlsAEADCipherImpl {
    private static final byte[] NO_AAD = new byte[0];

    private final boolean encrypting;
    private byte[] key;
    private byte[] nonce;

    NettleAesGcmCipher(boolean encrypting) {
        this.encrypting = encrypting;
    }

    @Override
    public void setKey(byte[] key, int offset, int length) {
        if (this.key != null) Arrays.fill(this.key, (byte) 0);
        this.key = Arrays.copyOfRange(key, offset, offset + length);
    }

    @Override
    public void init(byte[] nonce, int macSize) throws IOException {
        if (macSize != NettleAesGcm.TAG_SIZE || nonce.length != NettleAesGcm.NONCE_SIZE) {
            throw new TlsFatalAlert(AlertDescription.internal_error,
                    "AES-GCM: a " + nonce.length + "-byte nonce and " + macSize + "-byte tag are not TLS 1.3's");
        }
        this.nonce = nonce.clone();
    }

    @Override
    public int getOutputSize(int inputLength) {
        return encrypting ? inputLength + NettleAesGcm.TAG_SIZE : Math.max(0, inputLength - NettleAesGcm.TAG_SIZE);
    }

    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
            int outputOffset) throws IOException {
        byte[] aad = additionalData == null ? NO_AAD : additionalData;
        if (encrypting) {
            return NettleAesGcm.seal(key, nonce, aad, input, inputOffset, inputLength, output, outputOffset);
        }
        int length = NettleAesGcm.open(key, nonce, aad, input, inputOffset, inputLength, output, outputOffset);
        if (length < 0) throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        return length;
    }
}
