package org.mandosjava.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The base64 decoder Mandos uses for {@code secret} ({@code codecs.decode(..., "base64")}, i.e.
 * CPython's non-strict {@code binascii.a2b_base64}): bytes outside the alphabet are skipped,
 * decoding stops at the padding that completes a quantum (whatever follows is ignored), {@code =}
 * that cannot be padding is skipped, and a final incomplete quantum without its padding is an error.
 * Unlike {@link java.util.Base64}, it never rejects stray characters.
 */
public final class LenientBase64 {
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) VALUES[ALPHABET.charAt(i)] = (byte) i;
    }

    private LenientBase64() {}

    /**
     * Decodes the option value. Mandos decodes its UTF-8 encoding; every byte of a character
     * outside ASCII is outside the alphabet and skipped, so the characters give the same result
     * without the encoded copy.
     *
     * @throws IllegalArgumentException for incorrect padding; the message never quotes the input
     */
    public static byte[] decode(CharSequence input) {
        // The text as one byte per character, every character beyond Latin-1 as '?', which is
        // outside the alphabet as those characters are: the loops below then read an array, not a
        // CharSequence a character at a time (100,000 secrets of ~1 KiB at startup). A String's
        // Latin-1 text is copied in one block.
        byte[] text;
        if (input instanceof String s) {
            text = s.getBytes(StandardCharsets.ISO_8859_1);
        } else {
            text = new byte[input.length()];
            for (int i = 0; i < text.length; i++) {
                char c = input.charAt(i);
                text[i] = c < 0x100 ? (byte) c : (byte) '?';
            }
        }
        try {
            return decode(text);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    private static byte[] decode(byte[] text) {
        // Sized for the alphabet characters only (a secret's lines have indentation and newlines
        // between them): usually the exact length, so the result is this array, not a copy of it.
        int symbols = 0;
        for (byte b : text) {
            if (VALUES[b & 0xff] >= 0) symbols++;
        }
        byte[] out = new byte[symbols * 3 / 4];
        int n = 0;
        int quadPos = 0;
        int leftChar = 0;
        int pads = 0;
        int length = text.length;
        int i = 0;
        while (i < length) {
            // Four symbols in a row, the bulk of every line: one quantum at once. Padding counts
            // only within a quantum, so none is pending here.
            if (quadPos == 0 && i + 4 <= length) {
                int a = VALUES[text[i] & 0xff];
                int b = VALUES[text[i + 1] & 0xff];
                int c = VALUES[text[i + 2] & 0xff];
                int d = VALUES[text[i + 3] & 0xff];
                if ((a | b | c | d) >= 0) {
                    int quantum = a << 18 | b << 12 | c << 6 | d;
                    out[n] = (byte) (quantum >> 16);
                    out[n + 1] = (byte) (quantum >> 8);
                    out[n + 2] = (byte) quantum;
                    n += 3;
                    i += 4;
                    continue;
                }
            }
            byte symbol = text[i++];
            if (symbol == '=') {
                if (quadPos >= 2 && quadPos + ++pads >= 4) return result(out, n);
                continue;
            }
            int v = VALUES[symbol & 0xff];
            if (v < 0) continue;
            pads = 0;
            switch (quadPos) {
                case 0 -> {
                    quadPos = 1;
                    leftChar = v;
                }
                case 1 -> {
                    quadPos = 2;
                    out[n++] = (byte) ((leftChar << 2) | (v >> 4));
                    leftChar = v & 0x0f;
                }
                case 2 -> {
                    quadPos = 3;
                    out[n++] = (byte) ((leftChar << 4) | (v >> 2));
                    leftChar = v & 0x03;
                }
                default -> {
                    quadPos = 0;
                    out[n++] = (byte) ((leftChar << 6) | v);
                    leftChar = 0;
                }
            }
        }
        if (quadPos != 0) Arrays.fill(out, (byte) 0);
        if (quadPos == 1) {
            throw new IllegalArgumentException("invalid base64: the number of base64 characters"
                    + " is one more than a multiple of 4");
        }
        if (quadPos != 0) throw new IllegalArgumentException("invalid base64: incorrect padding");
        return result(out, n);
    }

    /** The decoded bytes, with the working copy of the secret wiped if one was needed. */
    private static byte[] result(byte[] buffer, int length) {
        if (length == buffer.length) return buffer;
        byte[] decoded = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, (byte) 0);
        return decoded;
    }
}
