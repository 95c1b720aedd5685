package org.mandosjava.state;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes the state file's lines (TAB-separated fields, {@code \\ \t \n \r} escaped, UTF-8) into one
 * reused buffer, which is hashed and written out whenever it fills. A save of 100,000 clients writes
 * about two million fields: built as strings and copied into byte arrays line by line, they made
 * most of the 450–530 MB such a save allocated; encoded in place they make next to nothing.
 */
final class StateLineWriter {
    private static final int FLUSH_AT = 48 * 1024;
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years Instant.toString writes as four digits. */
    private static final long YEAR_0 = -62_167_219_200L;
    private static final long END_OF_YEAR_9999 = 253_402_300_799L;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final OutputStream out;
    private final MessageDigest digest;
    /** Durations repeat from client to client (the clients.conf defaults): each is formatted once. */
    private final Map<Duration, String> durations = new HashMap<>();
    private byte[] buf = new byte[FLUSH_AT + 4096];
    private int pos;
    private boolean lineStarted;

    StateLineWriter(OutputStream out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
    }

    /** A field, escaped; the first of a line opens it. */
    void field(String text) {
        separate();
        escaped(text);
    }

    /** {@code key=text}; nothing when {@code text} is null. */
    void field(String key, String text) {
        if (text == null) return;
        key(key);
        escaped(text);
    }

    /** {@code key=true|false}. */
    void field(String key, boolean value) {
        field(key, value ? "true" : "false");
    }

    /** {@code key=N}; nothing when null. */
    void field(String key, Integer value) {
        if (value == null) return;
        key(key);
        ascii(Integer.toString(value));
    }

    /** {@code key=} the ISO-8601 form {@link Instant#toString()} gives; nothing when null. */
    void field(String key, Instant value) {
        if (value == null) return;
        key(key);
        instant(value);
    }

    /** {@code key=} the ISO-8601 form {@link Duration#toString()} gives; nothing when null. */
    void field(String key, Duration value) {
        if (value == null) return;
        field(key, durations.computeIfAbsent(value, Duration::toString));
    }

    /** Ends the line; writes the buffer out once it holds enough. */
    void endLine() throws IOException {
        put((byte) '\n');
        lineStarted = false;
        if (pos >= FLUSH_AT) flush();
    }

    /** Writes out what is buffered; returns the SHA-256, in hex, of every byte written. */
    String finish() throws IOException {
        flush();
        return HexFormat.of().formatHex(digest.digest());
    }

    private void flush() throws IOException {
        if (pos == 0) return;
        digest.update(buf, 0, pos);
        out.write(buf, 0, pos);
        pos = 0;
    }

    private void separate() {
        if (lineStarted) put((byte) '\t');
        lineStarted = true;
    }

    /** Opens a {@code key=} field. */
    private void key(String key) {
        separate();
        ascii(key);
        put((byte) '=');
    }

    private void put(byte b) {
        if (pos == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        buf[pos++] = b;
    }

    /** Text known to be ASCII without escapes (keys, numbers). */
    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) put((byte) s.charAt(i));
    }

    /** Escaped and encoded as {@code String.getBytes(UTF_8)} would: a lone surrogate becomes '?'. */
    private void escaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> { put((byte) '\\'); put((byte) '\\'); }
                case '\t' -> { put((byte) '\\'); put((byte) 't'); }
                case '\n' -> { put((byte) '\\'); put((byte) 'n'); }
                case '\r' -> { put((byte) '\\'); put((byte) 'r'); }
                default -> {
                    if (c < 0x80) {
                        put((byte) c);
                    } else if (c < 0x800) {
                        put((byte) (0xc0 | (c >> 6)));
                        put((byte) (0x80 | (c & 0x3f)));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        put((byte) (0xf0 | (cp >> 18)));
                        put((byte) (0x80 | ((cp >> 12) & 0x3f)));
                        put((byte) (0x80 | ((cp >> 6) & 0x3f)));
                        put((byte) (0x80 | (cp & 0x3f)));
                    } else if (Character.isSurrogate(c)) {
                        put((byte) '?');
                    } else {
                        put((byte) (0xe0 | (c >> 12)));
                        put((byte) (0x80 | ((c >> 6) & 0x3f)));
                        put((byte) (0x80 | (c & 0x3f)));
                    }
                }
            }
        }
    }

    /**
     * As {@link Instant#toString()}: {@code yyyy-MM-ddTHH:mm:ss}, then the fraction in groups of three
     * digits as needed, then {@code Z}. Years outside 0000–9999 take the runtime's own (rare) path.
     */
    private void instant(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < YEAR_0 || seconds > END_OF_YEAR_9999) {
            ascii(t.toString());
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int year = date.getYear();
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        digits(year, 4);
        put((byte) '-');
        digits(date.getMonthValue(), 2);
        put((byte) '-');
        digits(date.getDayOfMonth(), 2);
        put((byte) 'T');
        digits(secondOfDay / 3600, 2);
        put((byte) ':');
        digits(secondOfDay / 60 % 60, 2);
        put((byte) ':');
        digits(secondOfDay % 60, 2);
        int nanos = t.getNano();
        if (nanos > 0) {
            put((byte) '.');
            if (nanos % 1_000_000 == 0) digits(nanos / 1_000_000, 3);
            else if (nanos % 1000 == 0) digits(nanos / 1000, 6);
            else digits(nanos, 9);
        }
        put((byte) 'Z');
    }

    /** {@code value} in {@code width} decimal digits, zero-padded (width at most 9). */
    private void digits(int value, int width) {
        for (int i = width - 1; i >= 0; i--) put((byte) ('0' + value / POWERS_OF_TEN[i] % 10));
    }
}
