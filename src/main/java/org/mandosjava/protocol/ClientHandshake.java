package org.mandosjava.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The client's side of the Mandos protocol: send the version line, then act as the TLS <em>server</em>
 * presenting an Ed25519 raw public key, and read the secret to the end. Used by mandos-client,
 * {@code --check}, tests and the load generator. Thread-safe.
 */
public final class ClientHandshake {
    static final byte[] VERSION_LINE = "1\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A real secret is a few kilobytes; more than this is not a Mandos server talking. */
    public static final int MAX_SECRET_BYTES = 1 << 20;

    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final byte[] publicKeyInfo;
    private final Ed25519PrivateKeyParameters privateKey;
    private final TlsPolicy policy;

    /** @param publicKeyInfo DER SubjectPublicKeyInfo of an Ed25519 key; {@code privateKey} its private half */
    public ClientHandshake(byte[] publicKeyInfo, Ed25519PrivateKeyParameters privateKey, TlsPolicy policy) {
        this.publicKeyInfo = publicKeyInfo.clone();
        this.privateKey = privateKey;
        this.policy = policy;
    }

    /** With the Mandos default policy, from JDK keys. */
    public ClientHandshake(PublicKey publicKey, PrivateKey privateKey) throws IOException {
        this(publicKey.getEncoded(), ed25519(privateKey), TlsPolicy.mandosDefault());
    }

    private static Ed25519PrivateKeyParameters ed25519(PrivateKey key) throws IOException {
        if (PrivateKeyFactory.createKey(key.getEncoded()) instanceof Ed25519PrivateKeyParameters ed) return ed;
        throw new IOException("only Ed25519 TLS keys are supported, not " + key.getAlgorithm());
    }

    /** The key_id a server computes for this key. */
    public String keyId() {
        return KeyId.of(publicKeyInfo);
    }

    /**
     * Runs the whole exchange on a connected socket and returns every byte the server sent before
     * closing (empty when it refused us), answering its close_notify with ours as GnuTLS does.
     */
    public byte[] fetch(Socket socket) throws IOException {
        OutputStream raw = socket.getOutputStream();
        raw.write(VERSION_LINE);
        raw.flush();
        // The TLS engine reads the socket directly: nothing may buffer bytes past the version line.
        TlsServerProtocol protocol = new TlsServerProtocol(socket.getInputStream(), raw);
        protocol.accept(new RawKeyTlsServer(crypto, publicKeyInfo, privateKey, policy));
        byte[] secret = readToEnd(protocol.getInputStream());
        protocol.close();
        return secret;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            data.write(buffer, 0, n);
            if (data.size() > MAX_SECRET_BYTES) {
                throw new IOException("server sent more than " + MAX_SECRET_BYTES + " bytes");
            }
        }
        return data.toByteArray();
    }
}
