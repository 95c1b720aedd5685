package org.mandosjava.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.mandosjava.platform.Nettle;

/**
 * A peer's raw public key whose Ed25519 signature in a TLS 1.3 CertificateVerify is checked by nettle
 * ({@link Nettle}); any other scheme is Bouncy Castle's, as is the parsing and checking of the key.
 */
final class NettleRawKeyCertificate extends BcTlsRawKeyCertificate {
    NettleRawKeyCertificate(BcTlsCrypto crypto, byte[] encoding) {
        super(crypto, encoding);
    }

    @Override
    public Tls13Verifier createVerifier(int signatureScheme) throws IOException {
        if (signatureScheme != SignatureScheme.ed25519) return super.createVerifier(signatureScheme);
        validateKeyUsage(KeyUsage.digitalSignature);
        byte[] publicKey = getPubKeyEd25519().getEncoded();
        // The signed content of a CertificateVerify is about 130 bytes: 64 spaces, a context string
        // and the transcript hash.
        ByteArrayOutputStream signed = new ByteArrayOutputStream(160);
        return new Tls13Verifier() {
            @Override
            public OutputStream getOutputStream() {
                return signed;
            }

            @Override
            public boolean verifySignature(byte[] signature) {
                return Nettle.ed25519Verify(publicKey, signed.toByteArray(), signature);
            }
        };
    }
}
