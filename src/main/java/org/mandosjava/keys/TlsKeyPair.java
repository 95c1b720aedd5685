package org.mandosjava.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.mandosjava.protocol.KeyId;

/**
 * A client's TLS key pair in the encodings it is stored and sent in: the DER SubjectPublicKeyInfo
 * (the RFC 7250 raw public key, and what the key_id hashes) and the DER PKCS#8 private key.
 * Only Ed25519 is supported, the mandos-keygen default.
 */
public final class TlsKeyPair {
    public static final String ED25519 = "ed25519";
    private static final String JDK_ALGORITHM = "Ed25519";

    private final byte[] subjectPublicKeyInfo;
    private final byte[] pkcs8PrivateKey;

    private TlsKeyPair(byte[] subjectPublicKeyInfo, byte[] pkcs8PrivateKey) {
        this.subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
        this.pkcs8PrivateKey = pkcs8PrivateKey.clone();
    }

    public static TlsKeyPair generateEd25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(JDK_ALGORITHM).generateKeyPair();
            return new TlsKeyPair(pair.getPublic().getEncoded(), pair.getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every JDK 15+", e);
        }
    }

    /** Reads {@code tls-pubkey.pem} and {@code tls-privkey.pem} and checks that they are one Ed25519 pair. */
    public static TlsKeyPair read(Path publicKeyPem, Path privateKeyPem) throws IOException {
        byte[] spki = readPublicKey(publicKeyPem);
        byte[] pkcs8;
        try {
            pkcs8 = Pem.decode(Pem.PRIVATE_KEY, Files.readString(privateKeyPem, StandardCharsets.US_ASCII));
            KeyFactory factory = KeyFactory.getInstance(JDK_ALGORITHM);
            factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // No key bytes in the message: only what kind of problem it is.
            throw new IOException(privateKeyPem + ": not an unencrypted PKCS#8 Ed25519 private key");
        }
        TlsKeyPair pair = new TlsKeyPair(spki, pkcs8);
        if (!Arrays.equals(pair.derivedPublicKey(), spki)) {
            throw new IOException(publicKeyPem + " does not belong to " + privateKeyPem);
        }
        return pair;
    }

    /** The DER SubjectPublicKeyInfo in {@code tls-pubkey.pem}; checked to be an Ed25519 key. */
    public static byte[] readPublicKey(Path publicKeyPem) throws IOException {
        try {
            byte[] spki = Pem.decode(Pem.PUBLIC_KEY, Files.readString(publicKeyPem, StandardCharsets.US_ASCII));
            KeyFactory.getInstance(JDK_ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
            return spki;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException(publicKeyPem + ": not a PEM Ed25519 public key (" + e.getMessage() + ")");
        }
    }

    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    public byte[] pkcs8PrivateKey() {
        return pkcs8PrivateKey.clone();
    }

    /** The private key as Bouncy Castle's TLS and signing code takes it. */
    public Ed25519PrivateKeyParameters privateKeyParameters() {
        try {
            return (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(pkcs8PrivateKey);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("checked to be an Ed25519 PKCS#8 key when read", e);
        }
    }

    public String publicKeyPem() {
        return Pem.encode(Pem.PUBLIC_KEY, subjectPublicKeyInfo);
    }

    public String privateKeyPem() {
        return Pem.encode(Pem.PRIVATE_KEY, pkcs8PrivateKey);
    }

    /** The Mandos key_id, 64 upper-case hex digits. */
    public String keyId() {
        return KeyId.of(subjectPublicKeyInfo);
    }

    private byte[] derivedPublicKey() throws IOException {
        return SubjectPublicKeyInfoFactory
                .createSubjectPublicKeyInfo(privateKeyParameters().generatePublicKey())
                .getEncoded();
    }
}
