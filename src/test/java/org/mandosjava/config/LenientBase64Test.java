package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decoder against the JDK's on secrets laid out as mandos-keygen writes them (76-character
 * lines, indented continuation lines, with and without padding). The corner cases of CPython's
 * lenient decoding are the vectors in {@code ConfigVectorsTest}.
 */
class LenientBase64Test {
    @Test
    void decodesEveryLengthOfAMultiLineSecret() {
        SplittableRandom random = new SplittableRandom(14);
        for (int length = 0; length <= 1300; length++) {
            byte[] secret = new byte[length];
            random.nextBytes(secret);
            String b64 = Base64.getEncoder().encodeToString(secret);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < b64.length(); i += 76) {
                text.append(i == 0 ? "" : "\n        ").append(b64, i, Math.min(b64.length(), i + 76));
            }
            assertThat(LenientBase64.decode(text)).as("%d bytes", length).isEqualTo(secret);
            assertThat(LenientBase64.decode(text + "\n")).as("%d bytes, then a newline", length).isEqualTo(secret);
        }
    }

    @Test
    void ignoresWhatFollowsThePaddingThatEndsTheSecret() {
        byte[] secret = {1, 2, 3, 4};
        String b64 = Base64.getEncoder().encodeToString(secret); // "AQIDBA=="

        assertThat(LenientBase64.decode(b64 + "QUJDREVG")).isEqualTo(secret);
        assertThat(LenientBase64.decode(b64 + "\n  more text")).isEqualTo(secret);
    }

    @Test
    void skipsCharactersOutsideAsciiWhateverTheirCode() {
        byte[] abcdef = "ABCDEF".getBytes(StandardCharsets.US_ASCII);
        // Latin-1 (one byte in a String's compact form), beyond it, and a surrogate pair; '?'
        // stands for the characters beyond Latin-1 inside the decoder, and is skipped as they are.
        String text = "QU\u00e9JD\u0100R\u013dE\ud83d\udd11VG?";

        assertThat(LenientBase64.decode(text)).isEqualTo(abcdef);
        assertThat(LenientBase64.decode(new StringBuilder(text))).isEqualTo(abcdef);
        // U+013D is not '=' (0x3D) in disguise: "QUI" then "=" pads, "QUI\u013d" lacks its padding.
        assertThat(LenientBase64.decode("QUI=")).isEqualTo(new byte[] {'A', 'B'});
        assertThatThrownBy(() -> LenientBase64.decode("QUI\u013d"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Random text over the alphabet, padding, whitespace and characters beyond ASCII, against the
     * algorithm spelled out one character at a time: the decoder's four-at-once path must agree
     * wherever padding or a stray character falls within a quantum.
     */
    @Test
    void agreesWithTheCharacterAtATimeAlgorithmOnRandomText() {
        String pool = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                + "AAAAAAAAAAAAAAAAAAAA==== \n\t\u00e9\u013d\u20ac";
        SplittableRandom random = new SplittableRandom(64);
        for (int round = 0; round < 20_000; round++) {
            char[] text = new char[random.nextInt(40)];
            for (int i = 0; i < text.length; i++) text[i] = pool.charAt(random.nextInt(pool.length()));
            String input = new String(text);
            byte[] expected;
            try {
                expected = characterAtATime(input);
            } catch (IllegalArgumentException e) {
                assertThatThrownBy(() -> LenientBase64.decode(input)).as(input)
                        .isInstanceOf(IllegalArgumentException.class).hasMessage(e.getMessage());
                continue;
            }
            assertThat(LenientBase64.decode(input)).as(input).isEqualTo(expected);
        }
    }

    /** CPython's a2b_base64 (non-strict), a character at a time. */
    private static byte[] characterAtATime(String input) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int quadPos = 0;
        int leftChar = 0;
        int pads = 0;
        for (char c : input.toCharArray()) {
            if (c == '=') {
                if (quadPos >= 2 && quadPos + ++pads >= 4) return out.toByteArray();
                continue;
            }
            int v = alphabet.indexOf(c);
            if (v < 0) continue;
            pads = 0;
            switch (quadPos) {
                case 0 -> leftChar = v;
                case 1 -> {
                    out.write((leftChar << 2) | (v >> 4));
                    leftChar = v & 0x0f;
                }
                case 2 -> {
                    out.write((leftChar << 4) | (v >> 2));
                    leftChar = v & 0x03;
                }
                default -> out.write((leftChar << 6) | v);
            }
            quadPos = (quadPos + 1) % 4;
        }
        if (quadPos == 1) {
            throw new IllegalArgumentException("invalid base64: the number of base64 characters"
                    + " is one more than a multiple of 4");
        }
        if (quadPos != 0) throw new IllegalArgumentException("invalid base64: incorrect padding");
        return out.toByteArray();
    }
}
