package org.mandosjava.tools.client;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.mandosjava.keys.TlsKeyPair;

/**
 * The client's side of the Mandos TLS handshake. Roles are reversed (spec §5.2): the Mandos
 * client is the TLS <em>server</em> and authenticates with its Ed25519 key as an RFC 7250 raw
 * public key; it asks for no certificate from the Mandos server. TLS 1.3 only, as 1.8.16 speaks.
 */
final class RawKeyTlsServer extends DefaultTlsServer {
    private static final int[] TLS13_CIPHER_SUITES = {
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_128_CCM_SHA256,
    };

    private final TlsKeyPair keys;

    RawKeyTlsServer(BcTlsCrypto crypto, TlsKeyPair keys) {
        super(crypto);
        this.keys = keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TLS13_CIPHER_SUITES.clone();
    }

    @Override
    public void processClientExtensions(@SuppressWarnings("rawtypes") Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        // Without this extension we could only present an X.509 certificate, which we do not have.
        short[] acceptable = TlsExtensionsUtils.getServerCertificateTypeExtensionClient(clientExtensions);
        if (acceptable == null || !contains(acceptable, CertificateType.RawPublicKey)) {
            throw new TlsFatalAlert(AlertDescription.unsupported_certificate,
                    "the peer does not accept a raw public key");
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsExtensionsUtils.addServerCertificateTypeExtensionServer(extensions, CertificateType.RawPublicKey);
        return extensions;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
        Certificate rawPublicKey = new Certificate(CertificateType.RawPublicKey, new byte[0],
                new CertificateEntry[] {
                    new CertificateEntry(new BcTlsRawKeyCertificate(crypto, keys.subjectPublicKeyInfo()), null)
                });
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                keys.privateKeyParameters(), rawPublicKey, SignatureAndHashAlgorithm.ed25519);
    }

    private static boolean contains(short[] values, short wanted) {
        for (short value : values) {
            if (value == wanted) return true;
        }
        return false;
    }
}
