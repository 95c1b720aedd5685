package org.mandosjava.protocol.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The units a Mandos byte stream is made of, as a structure-aware mutator sees them: the client's
 * plaintext version line, then TLS records (5-byte header: type, version, length; then the body).
 */
final class Units {
    static final int HEADER = 5;
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    /** Longer than any real version line; a stream without a newline is cut into units this long. */
    private static final int MAX_LINE = 80;

    private Units() {}

    /** Splits a recorded stream; trailing bytes that make no whole record are a unit of their own. */
    static List<byte[]> split(byte[] stream, boolean versionLine) {
        List<byte[]> units = new ArrayList<>();
        int at = 0;
        if (versionLine) {
            int newline = indexOf(stream, (byte) '\n', Math.min(stream.length, MAX_LINE));
            int end = newline < 0 ? Math.min(stream.length, MAX_LINE) : newline + 1;
            units.add(Arrays.copyOfRange(stream, 0, end));
            at = end;
        }
        while (at < stream.length) {
            int end = stream.length - at < HEADER ? stream.length
                    : Math.min(stream.length, at + HEADER + length(stream, at));
            units.add(Arrays.copyOfRange(stream, at, end));
            at = end;
        }
        return units;
    }

    /**
     * Reads the next unit from a live stream: the version line if {@code versionLine}, else one record.
     * Returns null at a clean end; a partial unit at the end is returned as it is.
     */
    static byte[] next(InputStream in, boolean versionLine) throws IOException {
        ByteArrayOutputStream unit = new ByteArrayOutputStream();
        if (versionLine) {
            for (int b; unit.size() < MAX_LINE && (b = in.read()) >= 0; ) {
                unit.write(b);
                if (b == '\n') break;
            }
            return unit.size() == 0 ? null : unit.toByteArray();
        }
        byte[] header = in.readNBytes(HEADER);
        if (header.length == 0) return null;
        unit.write(header);
        if (header.length == HEADER) unit.write(in.readNBytes(length(header, 0)));
        return unit.toByteArray();
    }

    static int length(byte[] record, int at) {
        return ((record[at + 3] & 0xff) << 8) | (record[at + 4] & 0xff);
    }

    static byte[] record(int type, int version, byte[] body) {
        byte[] r = new byte[HEADER + body.length];
        r[0] = (byte) type;
        r[1] = (byte) (version >> 8);
        r[2] = (byte) version;
        r[3] = (byte) (body.length >> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, HEADER, body.length);
        return r;
    }

    static byte[] concat(List<byte[]> units) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        units.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static int indexOf(byte[] data, byte wanted, int limit) {
        for (int i = 0; i < limit; i++) {
            if (data[i] == wanted) return i;
        }
        return -1;
    }
}
