package org.mandosjava.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * One entry in journald's native protocol (the datagram sent to {@code /run/systemd/journal/socket}):
 * {@code KEY=value} lines, or, for a value holding a newline, the key, a newline, the value's length
 * as a 64-bit little-endian integer, the value and a newline.
 */
public final class JournalEntry {
    /** Where journald listens for native entries. */
    public static final String SOCKET = "/run/systemd/journal/socket";

    private JournalEntry() {}

    /**
     * Encodes {@code fields} in order.
     *
     * @throws IllegalArgumentException for a key journald would drop (not upper case, digits and
     *     underscores, or starting with an underscore)
     */
    public static byte[] encode(Map<String, String> fields) {
        Builder entry = new Builder();
        fields.forEach(entry::field);
        return entry.toByteArray();
    }

    /**
     * An entry built field by field, in order, straight into one growing array: no map of the
     * fields and no intermediate array per value, since every release sends one.
     */
    public static final class Builder {
        private byte[] buf = new byte[512];
        private int len;

        /**
         * Adds {@code key} with {@code value}.
         *
         * @throws IllegalArgumentException for a key journald would drop
         */
        public Builder field(String key, String value) {
            if (!isFieldName(key)) throw new IllegalArgumentException("bad journal field " + key);
            ascii(key);
            if (value.indexOf('\n') < 0) {
                put((byte) '=');
                text(value);
            } else {
                byte[] v = value.getBytes(StandardCharsets.UTF_8);
                put((byte) '\n');
                for (int i = 0; i < 8; i++) put((byte) ((long) v.length >>> (8 * i)));
                bytes(v);
            }
            put((byte) '\n');
            return this;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        private void ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
        }

        /** UTF-8; ASCII (nearly every value) without an intermediate array. */
        private void text(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    bytes(s.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            ascii(s);
        }

        private void bytes(byte[] v) {
            room(v.length);
            System.arraycopy(v, 0, buf, len, v.length);
            len += v.length;
        }

        private void put(byte b) {
            room(1);
            buf[len++] = b;
        }

        private void room(int n) {
            if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** Upper-case letters, digits and underscores, not starting with an underscore (journald drops the rest). */
    static boolean isFieldName(String key) {
        if (key.isEmpty() || key.charAt(0) == '_') return false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) return false;
        }
        return true;
    }

    /** Decodes what {@link #encode} makes (for tests and receivers); later duplicates win. */
    public static Map<String, String> decode(byte[] data) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            int end = i;
            while (end < data.length && data[end] != '=' && data[end] != '\n') end++;
            String key = new String(data, i, end - i, StandardCharsets.US_ASCII);
            if (end >= data.length) break;
            if (data[end] == '=') {
                int nl = end + 1;
                while (nl < data.length && data[nl] != '\n') nl++;
                fields.put(key, new String(data, end + 1, nl - end - 1, StandardCharsets.UTF_8));
                i = nl + 1;
            } else {
                long n = 0;
                for (int b = 0; b < 8; b++) n |= (data[end + 1 + b] & 0xffL) << (8 * b);
                int start = end + 9;
                fields.put(key, new String(data, start, (int) n, StandardCharsets.UTF_8));
                i = start + (int) n + 1;
            }
        }
        return fields;
    }
}
