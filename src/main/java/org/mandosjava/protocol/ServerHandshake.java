package org.mandosjava.protocol;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.bouncycastle.tls.TlsClientProtocol;
import org.mandosjava.platform.KernelRandom;

/**
 * Runs the server's side of the Mandos TLS handshake on an accepted socket whose version line has
 * been read, and gives the resulting {@link Session}.
 *
 * <p>Thread-safe: one instance serves every connection (Bouncy Castle's lightweight crypto object
 * only holds a SecureRandom).
 */
public final class ServerHandshake {
    private final RawKeyCrypto crypto;
    private final TlsPolicy policy;

    public ServerHandshake(TlsPolicy policy) {
        this(policy, new RawKeyCrypto(KernelRandom.orDefault()));
    }

    ServerHandshake(TlsPolicy policy, RawKeyCrypto crypto) {
        this.policy = policy;
        this.crypto = crypto;
    }

    /** What does the elliptic-curve arithmetic of the handshakes: nettle, or Bouncy Castle without it. */
    public String curves() {
        return crypto.curves();
    }

    /** What seals and opens the records' AES-GCM: nettle, else the runtime, else Bouncy Castle. */
    public String records() {
        return crypto.records();
    }

    /**
     * Performs the handshake; the caller bounds how long it may take (the server closes the socket
     * at its deadline).
     *
     * @throws IOException on any handshake failure (TLS alerts arrive as {@code TlsFatalAlert...})
     */
    public Session handshake(Socket socket) throws IOException {
        // Bouncy Castle closes the streams it was given when the session closes; the socket must stay
        // open afterwards so that we can wait for the peer's close_notify (GnuTLS bye(SHUT_RDWR)).
        InputStream in = new FilterInputStream(socket.getInputStream()) {
            @Override public void close() {}
        };
        OutputStream out = new FilterOutputStream(socket.getOutputStream()) {
            // FilterOutputStream would write arrays byte by byte.
            @Override public void write(byte[] b, int off, int len) throws IOException {
                this.out.write(b, off, len);
            }
            @Override public void close() throws IOException {
                flush();
            }
        };
        RawKeyTlsClient client = new RawKeyTlsClient(crypto, policy);
        TlsClientProtocol protocol = new TlsClientProtocol(in, out);
        protocol.connect(client);
        byte[] spki = client.peerPublicKeyInfo();
        if (spki == null) {
            protocol.close();
            throw new ProtocolException("peer presented no raw public key");
        }
        return new Session(socket, protocol, spki);
    }

    /** An established TLS session with a client whose key is known (but not yet looked up). */
    public static final class Session {
        private final Socket socket;
        private final TlsClientProtocol protocol;
        private final byte[] peerPublicKeyInfo;

        private Session(Socket socket, TlsClientProtocol protocol, byte[] peerPublicKeyInfo) {
            this.socket = socket;
            this.protocol = protocol;
            this.peerPublicKeyInfo = peerPublicKeyInfo;
        }

        /** DER SubjectPublicKeyInfo of the peer's raw public key. */
        public byte[] peerPublicKeyInfo() {
            return peerPublicKeyInfo.clone();
        }

        public String keyId() {
            return KeyId.of(peerPublicKeyInfo);
        }

        /** Writes application data; Bouncy Castle splits it into records. */
        public void send(byte[] data) throws IOException {
            OutputStream out = protocol.getOutputStream();
            out.write(data);
            out.flush();
        }

        /**
         * Closes like GnuTLS {@code bye(SHUT_RDWR)}: sends close_notify, then reads until the peer
         * answers with its own and closes. The real client only considers the secret complete once
         * it reads close_notify, so this must not be skipped; and closing with the peer's answer
         * unread would reset the connection. The caller bounds the wait: by closing the socket at
         * its deadline, or with a read timeout, which ends the wait quietly.
         */
        public void bye() throws IOException {
            protocol.close();
            InputStream raw = socket.getInputStream();
            byte[] sink = new byte[512];
            try {
                while (raw.read(sink) >= 0) {
                    // Whatever the peer still sends is discarded.
                }
            } catch (SocketTimeoutException e) {
                // The peer did not close in time; the caller closes the socket anyway.
            }
        }
    }
}
