package org.mandosjava.protocol;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandosjava.platform.Nettle;

/**
 * Bouncy Castle's lightweight crypto, with three changes:
 * <ul>
 * <li>SHA-2 (the transcript hash, HMAC, HKDF) and AES-GCM (the records) run on the runtime's own
 *     implementations where it has them: the JIT turns those into the CPU's SHA extensions or
 *     vector code and its AES and carry-less multiply instructions, and they were a fifth of a
 *     handshake's CPU in Bouncy Castle's portable Java.</li>
 * <li>X25519 and the peer's Ed25519 signature run on nettle ({@link Nettle}), GnuTLS's library, where
 *     it is installed: compiled code, fast from a fresh server's first handshake, where Bouncy
 *     Castle's curve arithmetic (still several times faster than the runtime's once compiled) runs
 *     interpreted and then keeps the JIT busy for seconds of a reboot storm. Without nettle, Bouncy
 *     Castle does it all.</li>
 * <li>A peer's malformed certificate (for us, a raw public key that is not DER SubjectPublicKeyInfo)
 *     is the peer's fault: {@code bad_certificate}. Bouncy Castle's ASN.1 parser reports malformed
 *     input with unchecked exceptions, which its TLS engine turns into {@code internal_error}, an
 *     alert that blames us and is logged as our failure.</li>
 * </ul>
 */
final class RawKeyCrypto extends BcTlsCrypto {
    private static final Optional<JdkDigest.Prototype> SHA256 = JdkDigest.Prototype.of("SHA-256", 64);
    private static final Optional<JdkDigest.Prototype> SHA384 = JdkDigest.Prototype.of("SHA-384", 128);
    private static final Optional<JdkDigest.Prototype> SHA512 = JdkDigest.Prototype.of("SHA-512", 128);

    private final boolean nettle;

    RawKeyCrypto(SecureRandom random) {
        this(random, Nettle.available());
    }

    /** @param nettle whether X25519 and Ed25519 verification run on nettle (it must be {@link Nettle#available()}) */
    RawKeyCrypto(SecureRandom random, boolean nettle) {
        super(random);
        this.nettle = nettle;
    }

    /** Which code does the curve arithmetic, for the start's log. */
    String curves() {
        return nettle ? "nettle (libhogweed.so.6)" : "Bouncy Castle";
    }

    @Override
    public Digest createDigest(int cryptoHashAlgorithm) {
        Optional<JdkDigest.Prototype> jdk = jdk(cryptoHashAlgorithm);
        return jdk.isPresent() ? JdkDigest.from(jdk.get()) : super.createDigest(cryptoHashAlgorithm);
    }

    @Override
    public Digest cloneDigest(int cryptoHashAlgorithm, Digest digest) {
        return digest instanceof JdkDigest d ? d.copy() : super.cloneDigest(cryptoHashAlgorithm, digest);
    }

    private static Optional<JdkDigest.Prototype> jdk(int cryptoHashAlgorithm) {
        return switch (cryptoHashAlgorithm) {
            case CryptoHashAlgorithm.sha256 -> SHA256;
            case CryptoHashAlgorithm.sha384 -> SHA384;
            case CryptoHashAlgorithm.sha512 -> SHA512;
            default -> Optional.empty();
        };
    }

    @Override
    protected TlsAEADCipher createCipher_AES_GCM(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize)
            throws IOException {
        if (!JdkAesGcm.available()) return super.createCipher_AES_GCM(cryptoParams, cipherKeySize, macSize);
        try {
            return new TlsAEADCipher(cryptoParams, new JdkAesGcm(true), new JdkAesGcm(false), cipherKeySize, macSize,
                    TlsAEADCipher.AEAD_GCM, null);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "AES-GCM: " + e.getMessage(), e);
        }
    }

    @Override
    public TlsECDomain createECDomain(TlsECConfig ecConfig) {
        if (nettle && ecConfig.getNamedGroup() == NamedGroup.x25519) return () -> new NettleX25519(this);
        return super.createECDomain(ecConfig);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        try {
            if (nettle && type == CertificateType.RawPublicKey) {
                return new NettleRawKeyCertificate(this, encoding);
            }
            return super.createCertificate(type, encoding);
        } catch (RuntimeException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "malformed peer key: " + e.getMessage(), e);
        }
    }
}
