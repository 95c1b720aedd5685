package org.mandosjava.protocol.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsStreamSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.mandosjava.keys.TlsKeyPair;

/**
 * A Mandos client whose TLS messages are well framed and correctly encrypted but hostile in content:
 * the messages our server reads only after decryption (EncryptedExtensions, Certificate with the raw
 * key, CertificateVerify), which mutating ciphertext never reaches. Each part is honest or garbled,
 * chosen by the input's {@link Random}:
 * <ul>
 * <li>the raw key: the honest SPKI, a garbled one (bits, truncation, random bytes), another client's
 *     valid key, or no or two entries;</li>
 * <li>CertificateVerify: honest, garbled, signed by a key other than the presented one, or claiming
 *     another signature scheme;</li>
 * <li>EncryptedExtensions: odd certificate types and unsolicited extensions.</li>
 * </ul>
 * The client whose key our server must report on success is {@link #expectedKeyId()}: only the
 * presented key's owner, when the signature is its own and nothing is garbled.
 */
final class HostileTlsServer extends DefaultTlsServer {
    private static final int[] EXTENSION_TYPES = {0, 1, 5, 10, 13, 16, 19, 20, 41, 42, 43, 44, 45, 51, 0xff01,
            0xfe0d};

    private final TlsKeyPair presented;
    private final TlsKeyPair signing;
    private final byte[] certificateBytes;
    private final int entries;
    private final boolean garbleSignature;
    private final int claimedScheme;
    private final short certificateType;
    private final int extraExtensions;
    private final Random random;
    private volatile boolean signatureChanged;

    HostileTlsServer(BcTlsCrypto crypto, TlsKeyPair honest, TlsKeyPair other, Random random) {
        super(crypto);
        this.random = random;
        boolean otherClient = random.nextInt(4) == 0;
        presented = otherClient ? other : honest;
        signing = random.nextInt(8) == 0 ? (otherClient ? honest : other) : presented;
        byte[] spki = presented.subjectPublicKeyInfo();
        certificateBytes = switch (random.nextInt(6)) {
            case 0 -> flipBits(spki, random);
            case 1 -> Arrays.copyOf(spki, random.nextInt(spki.length + 1));
            case 2 -> randomBytes(random, random.nextInt(100));
            case 3 -> Arrays.copyOf(spki, spki.length + 1 + random.nextInt(8));
            default -> spki;
        };
        entries = random.nextInt(10) == 0 ? random.nextInt(3) * 2 : 1;
        garbleSignature = random.nextInt(5) == 0;
        claimedScheme = random.nextInt(8) == 0
                ? List.of(SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ed448,
                        SignatureScheme.rsa_pss_rsae_sha256, 0x0201, random.nextInt(65536)).get(random.nextInt(5))
                : SignatureScheme.ed25519;
        certificateType = random.nextInt(8) == 0
                ? (short) List.of(0, 1, 3, random.nextInt(256)).get(random.nextInt(4)).intValue()
                : CertificateType.RawPublicKey;
        extraExtensions = random.nextInt(6) == 0 ? 1 + random.nextInt(3) : 0;
    }

    /**
     * After the exchange: the key ID our server must report if it completed, or null if it must not
     * have. Extra extensions may be accepted (some are allowed in EncryptedExtensions); they do not
     * bear on who the peer is.
     */
    String expectedKeyId() {
        boolean honest = Arrays.equals(certificateBytes, presented.subjectPublicKeyInfo()) && entries == 1
                && signing == presented && !signatureChanged && claimedScheme == SignatureScheme.ed25519
                && certificateType == CertificateType.RawPublicKey;
        return honest ? presented.keyId() : null;
    }

    @Override public String toString() {
        return "presented " + presented.keyId().substring(0, 8) + " signed by " + signing.keyId().substring(0, 8)
                + (Arrays.equals(certificateBytes, presented.subjectPublicKeyInfo()) ? "" : ", key bytes garbled")
                + ", " + entries + " entries" + (garbleSignature ? ", signature garbled" : "")
                + ", scheme " + claimedScheme + ", certificate type " + certificateType
                + ", " + extraExtensions + " extra extensions";
    }

    /** The Mandos client's conversation: version line, TLS as server, read to the end, close. */
    void talk(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("1\r\n".getBytes(StandardCharsets.US_ASCII));
        TlsServerProtocol protocol = new TlsServerProtocol(socket.getInputStream(), out);
        protocol.accept(this);
        InputStream in = protocol.getInputStream();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        in.transferTo(sink);
        protocol.close();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return new ProtocolVersion[] {ProtocolVersion.TLSv13};
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsExtensionsUtils.addServerCertificateTypeExtensionServer(extensions, certificateType);
        for (int i = 0; i < extraExtensions; i++) {
            int type = random.nextBoolean() ? EXTENSION_TYPES[random.nextInt(EXTENSION_TYPES.length)]
                    : random.nextInt(65536);
            extensions.put(type, randomBytes(random, random.nextInt(40)));
        }
        return extensions;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
        CertificateEntry[] list = new CertificateEntry[entries];
        for (int i = 0; i < entries; i++) {
            list[i] = new CertificateEntry(new BcTlsRawKeyCertificate(crypto, presented.subjectPublicKeyInfo()) {
                @Override public byte[] getEncoded() {
                    return certificateBytes.clone();
                }
            }, null);
        }
        Certificate certificate = new Certificate(CertificateType.RawPublicKey, new byte[0], list);
        TlsCredentialedSigner signer = new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                signing.privateKeyParameters(), certificate, SignatureAndHashAlgorithm.ed25519);
        return new GarblingSigner(signer);
    }

    /** Signs honestly, then garbles the signature or names another scheme, as planned. */
    private final class GarblingSigner implements TlsCredentialedSigner {
        private final TlsCredentialedSigner honest;

        GarblingSigner(TlsCredentialedSigner honest) {
            this.honest = honest;
        }

        @Override public Certificate getCertificate() {
            return honest.getCertificate();
        }

        @Override public SignatureAndHashAlgorithm getSignatureAndHashAlgorithm() {
            return SignatureScheme.getSignatureAndHashAlgorithm(claimedScheme);
        }

        @Override public byte[] generateRawSignature(byte[] hash) throws IOException {
            return garble(honest.generateRawSignature(hash));
        }

        @Override public TlsStreamSigner getStreamSigner() throws IOException {
            TlsStreamSigner signer = honest.getStreamSigner();
            if (signer == null) return null;
            return new TlsStreamSigner() {
                @Override public OutputStream getOutputStream() throws IOException {
                    return signer.getOutputStream();
                }

                @Override public byte[] getSignature() throws IOException {
                    return garble(signer.getSignature());
                }
            };
        }

        private byte[] garble(byte[] signature) {
            if (!garbleSignature) return signature;
            byte[] garbled = switch (random.nextInt(3)) {
                case 0 -> flipBits(signature, random);
                case 1 -> Arrays.copyOf(signature, random.nextInt(signature.length * 2 + 1));
                default -> randomBytes(random, random.nextInt(200));
            };
            if (!Arrays.equals(garbled, signature)) signatureChanged = true;
            return garbled;
        }
    }

    private static byte[] flipBits(byte[] data, Random random) {
        byte[] copy = data.clone();
        for (int i = 1 + random.nextInt(4); i > 0 && copy.length > 0; i--) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
