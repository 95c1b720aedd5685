package org.mandosjava.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        fields.forEach((key, value) -> {
            if (!isFieldName(key)) throw new IllegalArgumentException("bad journal field " + key);
            byte[] k = key.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(k);
            if (value.indexOf('\n') < 0) {
                out.write('=');
                out.writeBytes(v);
            } else {
                out.write('\n');
                long n = v.length;
                for (int i = 0; i < 8; i++) out.write((int) (n >>> (8 * i)));
                out.writeBytes(v);
            }
            out.write('\n');
        });
        return out.toByteArray();
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
