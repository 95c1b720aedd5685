package org.mandosjava.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.mandosjava.platform.Nettle;

/**
 * A peer's raw public key. An Ed25519 signature in a TLS 1.3 CertificateVerify is checked by nettle
 * ({@link Nettle}) where it is there, by Bouncy Castle otherwise; any other scheme is Bouncy
 * Castle's, as is the parsing of the key's DER. Either way a key of another kind presented for an
 * Ed25519 signature is {@code certificate_unknown}, the peer's fault, where Bouncy Castle alone
 * would fail on a cast and answer {@code internal_error}, an alert that blames us.
 *
 * <p>With nettle the key's 32 bytes go to it as they are, as GnuTLS hands them over: nettle decodes
 * the point while it verifies, and a key that is not a point verifies nothing. Bouncy Castle would
 * first decode it in Java (a field square root: about 0.3 ms interpreted, in every handshake of a
 * fresh server's first storm, and then a compilation) only to hand nettle the same bytes. Without
 * nettle, Bouncy Castle's decoding refuses such a key: {@code unsupported_certificate}.
 */
final class PeerRawKeyCertificate extends BcTlsRawKeyCertificate {
    private final boolean nettle;

    PeerRawKeyCertificate(BcTlsCrypto crypto, byte[] encoding, boolean nettle) {
        super(crypto, encoding);
        this.nettle = nettle;
    }

    @Override
    public Tls13Verifier createVerifier(int signatureScheme) throws IOException {
        if (signatureScheme != SignatureScheme.ed25519) return super.createVerifier(signatureScheme);
        validateKeyUsage(KeyUsage.digitalSignature);
        byte[] publicKey = ed25519Key();
        if (!nettle) return super.createVerifier(signatureScheme);
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

    /** The key's bytes if it is an Ed25519 key as RFC 8410 encodes it (no parameters, 32 bytes). */
    private byte[] ed25519Key() throws IOException {
        AlgorithmIdentifier algorithm = keyInfo.getAlgorithm();
        ASN1BitString bits = keyInfo.getPublicKeyData();
        if (!EdECObjectIdentifiers.id_Ed25519.equals(algorithm.getAlgorithm()) || algorithm.getParameters() != null
                || bits.getPadBits() != 0 || bits.getOctets().length != Nettle.ED25519_KEY_SIZE) {
            // What Bouncy Castle answers when the key cannot make the signature the peer chose.
            throw new TlsFatalAlert(AlertDescription.certificate_unknown, "not an Ed25519 key: " + algorithm.getAlgorithm());
        }
        return bits.getOctets();
    }
}
