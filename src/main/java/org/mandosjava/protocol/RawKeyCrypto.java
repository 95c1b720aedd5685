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
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandosjava.platform.KernelRandom;
import org.mandosjava.platform.Nettle;
import org.mandosjava.platform.NettleAesGcm;

/**
 * Bouncy Castle's lightweight crypto, with these changes:
 * <ul>
 * <li>SHA-2 (the transcript hash, HMAC, HKDF) runs on the runtime's own implementation where it
 *     has one: the JIT turns it into the CPU's SHA extensions or vector code, and it was a large
 *     part of a handshake's CPU in Bouncy Castle's portable Java.</li>
 * <li>X25519, the peer's Ed25519 signature and the records' AES-GCM run on nettle ({@link Nettle},
 *     {@link NettleAesGcm}), GnuTLS's library, where it is installed: compiled code, fast from a
 *     fresh server's first handshake, where Java code (Bouncy Castle's curve arithmetic, the
 *     runtime's AES-GCM) runs interpreted and then keeps the JIT busy for seconds of a reboot storm.
 *     Without nettle, Bouncy Castle does the curves and the runtime the records.</li>
 * <li>With {@link KernelRandom} as its generator, the hellos' nonces come from it directly.</li>
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

    /**
     * @param nettle whether X25519, Ed25519 verification and AES-GCM run on nettle (it must be
     *     {@link Nettle#available()})
     */
    RawKeyCrypto(SecureRandom random, boolean nettle) {
        super(random);
        this.nettle = nettle;
    }

    /** Which code does the curve arithmetic, for the start's log. */
    String curves() {
        return nettle ? "nettle (libhogweed.so.6)" : "Bouncy Castle";
    }

    /** Which code seals and opens the records (AES-GCM), for the start's log. */
    String records() {
        if (nettle && NettleAesGcm.available()) return "nettle (libnettle.so.8)";
        return JdkAesGcm.available() ? "the runtime (" + JdkAesGcm.provider().getName() + ")" : "Bouncy Castle";
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
        try {
            TlsAEADCipherImpl encrypt = aesGcm(true);
            if (encrypt == null) return super.createCipher_AES_GCM(cryptoParams, cipherKeySize, macSize);
            return new TlsAEADCipher(cryptoParams, encrypt, aesGcm(false), cipherKeySize, macSize,
                    TlsAEADCipher.AEAD_GCM, null);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "AES-GCM: " + e.getMessage(), e);
        }
    }

    /** One direction's AES-GCM: nettle's, else the runtime's; null where neither is there (Bouncy Castle's then). */
    TlsAEADCipherImpl aesGcm(boolean encrypting) throws GeneralSecurityException {
        if (nettle && NettleAesGcm.available()) return new NettleAesGcmCipher(encrypting);
        return JdkAesGcm.available() ? new JdkAesGcm(encrypting) : null;
    }

    /**
     * Nonces (the hello's random) straight from this crypto's generator. Bouncy Castle's own stretches
     * a seed from it through a SHA-256 generator of its own, so that a weak generator's output is not
     * shown to the peer; {@link KernelRandom} is the kernel's generator, whose output may be shown,
     * and the stretching would only be more Java to compile in a fresh server's first second.
     */
    @Override
    public TlsNonceGenerator createNonceGenerator(byte[] additionalSeedMaterial) {
        if (!(getSecureRandom() instanceof KernelRandom random)) return super.createNonceGenerator(additionalSeedMaterial);
        return size -> {
            byte[] nonce = new byte[size];
            random.nextBytes(nonce);
            return nonce;
        };
    }

    @Override
    public TlsECDomain createECDomain(TlsECConfig ecConfig) {
        if (nettle && ecConfig.getNamedGroup() == NamedGroup.x25519) return () -> new NettleX25519(this);
        return super.createECDomain(ecConfig);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        try {
            if (type == CertificateType.RawPublicKey) return new PeerRawKeyCertificate(this, encoding, nettle);
            return super.createCertificate(type, encoding);
        } catch (RuntimeException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "malformed peer key: " + e.getMessage(), e);
        }
    }
}
