package org.mandosjava.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The lines of a stream of strict UTF-8 text, ending at {@code \n}, {@code \r\n} or {@code \r}
 * (Python's universal newlines), as configparser looks at them: stripped of their line ends and
 * surrounding whitespace (Python's), with {@link #indent()} telling where the text began. Streaming,
 * so that a clients.conf of 100,000 clients (180 MB) is never held whole in memory, once as bytes
 * and twice more as text. An ASCII line (every line of a secret) is not even made a string: it is
 * given as a view of this reader's buffer, already stripped, and the caller copies what it keeps.
 */
final class Utf8Lines {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean endOfStream;
    private boolean afterCarriageReturn;
    private byte[] line = new byte[256];
    private int number;
    private int indent;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** Number of the line last returned (or being decoded when decoding failed); 1-based. */
    int number() {
        return number;
    }

    /**
     * Where the text of the line last returned began ({@code PyText.firstNonSpace} of the whole
     * line), or -1 for a blank line.
     */
    int indent() {
        return indent;
    }

    /**
     * @return the next line, stripped ({@code PyText.strip}), or null at the end of the stream;
     *     valid until the next call
     * @throws CharacterCodingException if the line is not valid UTF-8 ({@link #number()} names it)
     */
    CharSequence next() throws IOException {
        int length = 0;
        boolean started = false;
        int signBits = 0; // negative once any byte is not ASCII
        while (true) {
            if (position == limit && !fill()) {
                if (!started) return null;
                break;
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            started = true;
            int start = position;
            int end = start;
            while (end < limit) {
                byte b = buffer[end];
                if (b == '\n' || b == '\r') break;
                signBits |= b;
                end++;
            }
            int n = end - start;
            if (length + n > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            System.arraycopy(buffer, start, line, length, n);
            length += n;
            if (end < limit) {
                afterCarriageReturn = buffer[end] == '\r';
                position = end + 1;
                break;
            }
            position = end;
        }
        number++;
        if (signBits >= 0) {
            // ASCII: Python's whitespace here is ASCII too, so the bytes can be stripped as they are.
            int end = length;
            while (end > 0 && isAsciiSpace(line[end - 1])) end--;
            int start = 0;
            while (start < end && isAsciiSpace(line[start])) start++;
            indent = start < end ? start : -1;
            return ascii.of(line, start, end - start);
        }
        String text = decoder.reset().decode(ByteBuffer.wrap(line, 0, length)).toString();
        indent = PyText.firstNonSpace(text);
        return PyText.strip(text);
    }

    /** The view {@link #next()} gives of an ASCII line, reused for every line. */
    private final AsciiView ascii = new AsciiView();

    /** ASCII bytes as characters, without copying them. */
    private static final class AsciiView implements CharSequence {
        private byte[] bytes;
        private int offset;
        private int length;

        AsciiView of(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            Objects.checkIndex(index, length);
            return (char) bytes[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            Objects.checkFromToIndex(start, end, length);
            return new String(bytes, offset + start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** {@link PyText#isSpace} for an ASCII byte. */
    private static boolean isAsciiSpace(byte b) {
        return b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F);
    }

    private boolean fill() throws IOException {
        if (endOfStream) return false;
        int n;
        do {
            n = in.read(buffer);
        } while (n == 0);
        if (n < 0) {
            endOfStream = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
