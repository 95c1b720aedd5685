package org.mandosjava.tools.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.protocol.TlsPolicy;

/**
 * One attempt at the Mandos protocol (spec §5.1): connect, send the version line in plain text,
 * answer the server's TLS handshake as TLS server, and read the encrypted secret to the end.
 */
final class SecretFetcher {
    static final byte[] VERSION_LINE = "1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /**
     * The server may hold the connection open while it waits for an administrator's approval
     * (approval_delay, minutes in practice); only a connection idle far beyond that is given up.
     */
    private static final int READ_TIMEOUT_MILLIS = 60 * 60 * 1000;
    /** A real secret is a few kilobytes; more than this is not a Mandos server talking. */
    static final int MAX_SECRET_BYTES = 1 << 20;

    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final TlsKeyPair keys;
    private final TlsPolicy policy;

    SecretFetcher(TlsKeyPair keys, TlsPolicy policy) {
        this.keys = keys;
        this.policy = policy;
    }

    /** @return the bytes the server sent (the OpenPGP message); empty if it sent nothing */
    byte[] fetch(ServerAddress server) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.socketAddress(), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            OutputStream rawOut = socket.getOutputStream();
            rawOut.write(VERSION_LINE);
            rawOut.flush();
            // The TLS engine reads the socket directly: nothing may buffer bytes past the handshake.
            TlsServerProtocol tls = new TlsServerProtocol(socket.getInputStream(), rawOut);
            tls.accept(new RawKeyTlsServer(crypto, keys, policy));
            byte[] secret = readToEnd(tls.getInputStream());
            tls.close(); // our close_notify after the server's, as GnuTLS does
            return secret;
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            data.write(buffer, 0, n);
            if (data.size() > MAX_SECRET_BYTES) throw new IOException("server sent more than " + MAX_SECRET_BYTES + " bytes");
        }
        return data.toByteArray();
    }
}
