package org.mandosjava.protocol.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Random;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.VersionLine;

/**
 * A Mandos server that completes the handshake correctly and then misbehaves where only an
 * authenticated server can, in the encrypted secret transfer and the close: secrets of odd sizes
 * in odd pieces (none, empty, one byte, over {@link ClientHandshake#MAX_SECRET_BYTES}), and an end
 * that is a proper close_notify, close_notify followed by garbage, a close without close_notify (a
 * truncation), or silence.
 */
final class HostileMandosServer {
    enum End { BYE, BYE_THEN_GARBAGE, CLOSE_WITHOUT_CLOSE_NOTIFY, SILENCE }

    private final ServerHandshake handshake;
    private final Random random;
    private final End end;
    private final int[] pieces;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    HostileMandosServer(ServerHandshake handshake, Random random) {
        this.handshake = handshake;
        this.random = random;
        End[] ends = End.values();
        end = ends[random.nextInt(ends.length)];
        pieces = new int[random.nextInt(5)];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> random.nextInt(1 << 15);
                default -> random.nextInt(3000);
            };
        }
        if (pieces.length > 0 && random.nextInt(64) == 0) pieces[0] = ClientHandshake.MAX_SECRET_BYTES + 1;
    }

    /**
     * The secret our client must return if it completes, or null if it must fail: the server was cut
     * off before close_notify, or sent more than a secret can be.
     */
    Exchange.Bytes expectedSecret() {
        boolean closedProperly = end == End.BYE || end == End.BYE_THEN_GARBAGE;
        return closedProperly && sent.size() <= ClientHandshake.MAX_SECRET_BYTES
                ? new Exchange.Bytes(sent.toByteArray()) : null;
    }

    void talk(Socket socket) throws IOException {
        VersionLine.check(VersionLine.read(socket.getInputStream()));
        ServerHandshake.Session session = handshake.handshake(socket);
        for (int size : pieces) {
            byte[] piece = new byte[size];
            random.nextBytes(piece);
            session.send(piece);
            sent.write(piece);
        }
        switch (end) {
            case BYE -> {
                socket.setSoTimeout(Exchange.READ_TIMEOUT_MILLIS);
                session.bye();
            }
            case BYE_THEN_GARBAGE -> {
                socket.setSoTimeout(1);
                session.bye();
                byte[] garbage = new byte[1 + random.nextInt(100)];
                random.nextBytes(garbage);
                socket.getOutputStream().write(garbage);
            }
            case CLOSE_WITHOUT_CLOSE_NOTIFY -> socket.close();
            case SILENCE -> {
                // Until our client gives up and closes.
                InputStream in = socket.getInputStream();
                while (in.read(new byte[512]) >= 0) { }
            }
        }
    }

    @Override public String toString() {
        return java.util.Arrays.toString(pieces) + " then " + end;
    }
}
