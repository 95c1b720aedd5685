package org.mandosjava.protocol;

import java.io.IOException;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * The server's side of the handshake. Roles are reversed in Mandos: the server is the TLS client, it
 * presents no certificate, and it accepts exactly one thing from its peer: an RFC 7250 raw public key,
 * whose possession the peer proves in CertificateVerify. Whether that key belongs to a known client is
 * decided afterwards, from {@link #peerPublicKeyInfo()}; there is no PKI.
 */
final class RawKeyTlsClient extends DefaultTlsClient {
    private final TlsPolicy policy;
    private byte[] peerPublicKeyInfo;

    RawKeyTlsClient(TlsCrypto crypto, TlsPolicy policy) {
        super(crypto);
        this.policy = policy;
    }

    /** The DER SubjectPublicKeyInfo the peer presented, or null before the handshake got that far. */
    byte[] peerPublicKeyInfo() {
        return peerPublicKeyInfo == null ? null : peerPublicKeyInfo.clone();
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
    protected Vector<Integer> getSupportedGroups(@SuppressWarnings("rawtypes") Vector namedGroupRoles) {
        Vector<Integer> groups = new Vector<>();
        for (int group : policy.namedGroups()) {
            if (getCrypto().hasNamedGroup(group)) groups.add(group);
        }
        return groups;
    }

    @Override
    public Vector<Integer> getEarlyKeyShareGroups() {
        // One share, for the preferred group: GnuTLS sends two, but computing a share costs as much
        // as the exchange itself, and a client that takes another group asks again (HelloRetryRequest).
        Vector<Integer> shares = new Vector<>();
        if (!supportedGroups.isEmpty()) shares.add((Integer) supportedGroups.get(0));
        return shares;
    }

    @Override
    protected Vector<SignatureAndHashAlgorithm> getSupportedSignatureAlgorithms() {
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        for (int scheme : policy.signatureSchemes()) {
            SignatureAndHashAlgorithm alg = SignatureScheme.getSignatureAndHashAlgorithm(scheme);
            if (getCrypto().hasSignatureAndHashAlgorithm(alg)) algorithms.add(alg);
        }
        return algorithms;
    }

    @Override
    protected short[] getAllowedServerCertificateTypes() {
        // Mandatory: without the server_certificate_type extension GnuTLS aborts the handshake.
        return new short[] {CertificateType.RawPublicKey};
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                var certificate = serverCertificate.getCertificate();
                if (certificate == null || certificate.isEmpty()
                        || certificate.getCertificateType() != CertificateType.RawPublicKey) {
                    throw new TlsFatalAlert(AlertDescription.unsupported_certificate);
                }
                // RFC 8446 §4.4.2: a raw public key comes alone; extra entries would be keys nobody proved.
                if (certificate.getLength() != 1) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate,
                            "raw public key certificate with " + certificate.getLength() + " entries");
                }
                peerPublicKeyInfo = certificate.getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return null; // the Mandos server presents no certificate
            }
        };
    }
}
