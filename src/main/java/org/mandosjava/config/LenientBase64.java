package org.mandosjava.config;

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
    private static final int[] VALUES = new int[256];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) VALUES[ALPHABET.charAt(i)] = i;
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
        // A plain array: this runs once per client at startup (100,000 secrets of ~1 KiB), and the
        // synchronized, growable ByteArrayOutputStream was most of the time spent reading clients.conf.
        int length = input.length();
        // Sized for the alphabet characters only (a secret's lines have indentation and newlines
        // between them): usually the exact length, so the result is this array, not a copy of it.
        int symbols = 0;
        for (int i = 0; i < length; i++) {
            int c = input.charAt(i);
            if (c < VALUES.length && VALUES[c] >= 0) symbols++;
        }
        byte[] out = new byte[symbols * 3 / 4];
        int n = 0;
        int quadPos = 0;
        int leftChar = 0;
        int pads = 0;
        for (int i = 0; i < length; i++) {
            int c = input.charAt(i);
            if (c == '=') {
                if (quadPos >= 2 && quadPos + ++pads >= 4) return result(out, n);
                continue;
            }
            int v = c < VALUES.length ? VALUES[c] : -1;
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
