package org.mandosjava.protocol;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Bouncy Castle's lightweight crypto, except that a peer's malformed certificate (for us, a raw
 * public key that is not DER SubjectPublicKeyInfo) is the peer's fault: {@code bad_certificate}.
 * Bouncy Castle's ASN.1 parser reports malformed input with unchecked exceptions, which its TLS
 * engine turns into {@code internal_error}, an alert that blames us and is logged as our failure.
 */
final class RawKeyCrypto extends BcTlsCrypto {
    RawKeyCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        try {
            return super.createCertificate(type, encoding);
        } catch (RuntimeException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "malformed peer key: " + e.getMessage(), e);
        }
    }
}
