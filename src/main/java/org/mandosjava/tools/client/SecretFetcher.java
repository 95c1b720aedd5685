package org.mandosjava.tools.client;

import java.io.IOException;
import java.net.Socket;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.TlsPolicy;

/**
 * One attempt at the Mandos protocol (spec §5.1): connect, send the version line in plain text,
 * answer the server's TLS handshake as TLS server, and read the encrypted secret to the end.
 */
final class SecretFetcher {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /**
     * The server may hold the connection open while it waits for an administrator's approval
     * (approval_delay, minutes in practice); only a connection idle far beyond that is given up.
     */
    private static final int READ_TIMEOUT_MILLIS = 60 * 60 * 1000;

    private final ClientHandshake handshake;

    SecretFetcher(TlsKeyPair keys, TlsPolicy policy) {
        this.handshake = new ClientHandshake(keys.subjectPublicKeyInfo(), keys.privateKeyParameters(), policy);
    }

    /** @return the bytes the server sent (the OpenPGP message); empty if it sent nothing */
    byte[] fetch(ServerAddress server) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.socketAddress(), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            return handshake.fetch(socket);
        }
    }
}
