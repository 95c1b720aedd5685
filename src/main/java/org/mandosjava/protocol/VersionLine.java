package org.mandosjava.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The plaintext line a client sends before the TLS handshake, {@code "1\r\n"} (spec §5.1).
 *
 * <p>Read byte by byte: whatever follows the newline is the first TLS record and belongs to the TLS
 * engine, so no buffering may look past it.
 */
public final class VersionLine {
    /** The only protocol version there is. */
    public static final int SUPPORTED_VERSION = 1;
    /** Real clients send three bytes; anything much longer is not a Mandos client. */
    static final int MAX_LENGTH = 64;
    private static final String VERSION_TEXT = Integer.toString(SUPPORTED_VERSION);
    /** What ends the first word of a stripped line: ASCII whitespace, the regex {@code \s}. */
    private static final String WORD_SEPARATORS = " \t\n\u000B\f\r";

    private VersionLine() {}

    /**
     * Reads the line and returns it without its line terminator.
     *
     * @throws ProtocolException if it is too long or the stream ends first
     */
    public static String read(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_LENGTH];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length == 0) throw new EOFException("connection closed before the version line");
                throw new ProtocolException("connection closed in the middle of the version line");
            }
            if (b == '\n') break;
            if (length == buffer.length) {
                throw new ProtocolException("version line longer than " + MAX_LENGTH + " bytes");
            }
            buffer[length++] = (byte) b;
        }
        if (length > 0 && buffer[length - 1] == '\r') length--;
        return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks a version line. The original accepts any integer up to 1 and trailing words (spec §15.3
     * item 16); we accept trailing words, since that is harmless, but only version 1 itself.
     *
     * @throws ProtocolException naming what was received (printable, shortened)
     */
    public static void check(String line) throws ProtocolException {
        // The first word, found without a regex compiled for every connection.
        String s = line.strip();
        int end = 0;
        while (end < s.length() && WORD_SEPARATORS.indexOf(s.charAt(end)) < 0) end++;
        if (end != VERSION_TEXT.length() || !s.startsWith(VERSION_TEXT)) {
            throw new ProtocolException("Unknown protocol version: " + printable(line));
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') sb.append(c);
            else sb.append(String.format("\\x%02x", (int) c));
        }
        return sb.append('\'').toString();
    }
}
