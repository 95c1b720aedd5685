package org.mandosjava.protocol;

import java.util.List;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;

/**
 * What the server offers in its TLS handshake (it is the TLS client), derived from a GnuTLS priority
 * string. Arrays hold Bouncy Castle's IANA code points, in preference order.
 *
 * @param versions protocol versions offered; Mandos 1.8 clients speak only TLS 1.3
 * @param cipherSuites {@link CipherSuite} values
 * @param namedGroups {@link NamedGroup} values for key exchange; the one key share sent is for the first
 * @param signatureSchemes {@link SignatureScheme} values accepted in the peer's CertificateVerify
 */
public record TlsPolicy(
        List<ProtocolVersion> versions, int[] cipherSuites, int[] namedGroups, int[] signatureSchemes) {

    public TlsPolicy {
        versions = List.copyOf(versions);
        cipherSuites = cipherSuites.clone();
        namedGroups = namedGroups.clone();
        signatureSchemes = signatureSchemes.clone();
        if (versions.isEmpty()) throw new IllegalArgumentException("no TLS version enabled");
        if (cipherSuites.length == 0) throw new IllegalArgumentException("no cipher suite enabled");
        if (namedGroups.length == 0) throw new IllegalArgumentException("no key exchange group enabled");
        if (signatureSchemes.length == 0) throw new IllegalArgumentException("no signature algorithm enabled");
    }

    /**
     * What {@link GnuTlsPriority} makes of the Mandos 1.8.16 default priority string: as GnuTLS 3.7
     * (spec §5.4, observed), TLS 1.3 only, the four TLS 1.3 suites, the usual groups and signature
     * schemes including Ed25519, except that X25519 is the preferred group.
     */
    public static TlsPolicy mandosDefault() {
        return new TlsPolicy(
                List.of(ProtocolVersion.TLSv13),
                new int[] {
                    CipherSuite.TLS_AES_256_GCM_SHA384,
                    CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                    CipherSuite.TLS_AES_128_GCM_SHA256,
                    CipherSuite.TLS_AES_128_CCM_SHA256,
                },
                new int[] {
                    NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1,
                    NamedGroup.secp521r1, NamedGroup.x448,
                },
                new int[] {
                    SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_rsae_sha256,
                    SignatureScheme.rsa_pss_pss_sha256, SignatureScheme.ed25519,
                    SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.rsa_pss_rsae_sha384,
                    SignatureScheme.rsa_pss_pss_sha384, SignatureScheme.ed448,
                    SignatureScheme.ecdsa_secp521r1_sha512, SignatureScheme.rsa_pss_rsae_sha512,
                    SignatureScheme.rsa_pss_pss_sha512,
                });
    }
}
