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
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;

/**
 * The client's side of the Mandos protocol: send the version line, then act as the TLS <em>server</em>
 * presenting an Ed25519 raw public key, and read the secret to the end. Used by {@code --check}, by
 * tests as a scriptable peer, and by load generators. Thread-safe.
 */
public final class ClientHandshake {
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final byte[] publicKeyInfo;
    private final Ed25519PrivateKeyParameters privateKey;

    /** @param publicKey an Ed25519 key; @param privateKey its private half */
    public ClientHandshake(PublicKey publicKey, PrivateKey privateKey) throws IOException {
        this.publicKeyInfo = publicKey.getEncoded();
        if (!(PrivateKeyFactory.createKey(privateKey.getEncoded()) instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IOException("only Ed25519 TLS keys are supported, not " + privateKey.getAlgorithm());
        }
        this.privateKey = ed;
    }

    /** The key_id a server computes for this key. */
    public String keyId() {
        return KeyId.of(publicKeyInfo);
    }

    /**
     * Runs the whole exchange on a connected socket and returns every byte the server sent before
     * closing (empty when it refused us), answering its close_notify with ours.
     */
    public byte[] fetch(Socket socket) throws IOException {
        OutputStream raw = socket.getOutputStream();
        raw.write("1\r\n".getBytes(StandardCharsets.US_ASCII));
        raw.flush();
        TlsServerProtocol protocol = new TlsServerProtocol(socket.getInputStream(), raw);
        protocol.accept(new RawKeyServer());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = protocol.getInputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            received.write(buffer, 0, n);
        }
        protocol.close();
        return received.toByteArray();
    }

    private final class RawKeyServer extends DefaultTlsServer {
        RawKeyServer() {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.only();
        }

        @Override
        public TlsCredentials getCredentials() {
            Certificate certificate = new Certificate(CertificateType.RawPublicKey, new byte[0],
                    new CertificateEntry[] {
                        new CertificateEntry(new BcTlsRawKeyCertificate(crypto, publicKeyInfo), null)
                    });
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                    certificate, SignatureAndHashAlgorithm.ed25519);
        }
    }
}
