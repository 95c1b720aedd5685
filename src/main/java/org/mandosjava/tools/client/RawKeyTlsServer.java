package org.mandosjava.tools.client;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.protocol.TlsPolicy;

/**
 * The client's side of the Mandos TLS handshake. Roles are reversed (spec §5.2): the Mandos
 * client is the TLS <em>server</em> and authenticates with its Ed25519 key as an RFC 7250 raw
 * public key; it asks for no certificate from the Mandos server. Versions, suites and groups come
 * from a {@link TlsPolicy} (by default TLS 1.3 only, as 1.8.16 speaks).
 */
final class RawKeyTlsServer extends DefaultTlsServer {
    private final TlsKeyPair keys;
    private final TlsPolicy policy;

    RawKeyTlsServer(BcTlsCrypto crypto, TlsKeyPair keys, TlsPolicy policy) {
        super(crypto);
        this.keys = keys;
        this.policy = policy;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return policy.versions().toArray(ProtocolVersion[]::new);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), policy.cipherSuites());
    }

    @Override
    public int[] getSupportedGroups() {
        return policy.namedGroups();
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
