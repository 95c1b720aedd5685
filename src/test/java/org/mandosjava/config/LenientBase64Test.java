package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;

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
}
