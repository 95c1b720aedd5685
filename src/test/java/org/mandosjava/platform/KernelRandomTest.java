package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kernel's generator through {@code getrandom}: every length filled, nothing repeated. */
class KernelRandomTest {
    @Test
    void isWhatTheServerGetsOnLinux() {
        assertThat(KernelRandom.available()).isTrue();
        SecureRandom random = KernelRandom.orDefault();
        assertThat(random).isInstanceOf(KernelRandom.class);
        assertThat(random.getAlgorithm()).isEqualTo("getrandom");
    }

    @Test
    void fillsEveryLengthIncludingThoseLongerThanOneCall() {
        SecureRandom random = KernelRandom.orDefault();
        for (int length : new int[] {0, 1, 31, 32, 255, 256, 257, 1000, 5000}) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            if (length >= 32) {
                // A 32-byte run of zeros from a working generator has probability 2^-256.
                assertThat(bytes).as("%d bytes, its last 32", length).isNotEqualTo(new byte[length]);
                byte[] tail = java.util.Arrays.copyOfRange(bytes, length - 32, length);
                assertThat(tail).isNotEqualTo(new byte[32]);
            }
        }
    }

    @Test
    void neverRepeatsAValue() {
        SecureRandom random = KernelRandom.orDefault();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            assertThat(seen.add(java.util.HexFormat.of().formatHex(bytes))).isTrue();
        }
        assertThat(random.generateSeed(32)).hasSize(32).isNotEqualTo(new byte[32]);
    }

    @Test
    void drawsDoNotWaitForTheGeneratorsLock() throws Exception {
        SecureRandom random = KernelRandom.orDefault();
        byte[] bytes = new byte[32];
        byte[][] seed = new byte[1][];
        Thread draw = new Thread(() -> {
            random.nextBytes(bytes);
            seed[0] = random.generateSeed(32);
        });
        // SecureRandom serialises draws on its own monitor unless they bypass it; held here, a draw
        // through that lock could not finish.
        synchronized (random) {
            draw.start();
            draw.join(10_000);
            assertThat(draw.isAlive()).as("a draw waiting for the generator's lock").isFalse();
        }
        assertThat(bytes).isNotEqualTo(new byte[32]);
        assertThat(seed[0]).hasSize(32).isNotEqualTo(new byte[32]);
    }

    @Test
    void servesTheSecureRandomApiAndRoughlyUniformBits() {
        SecureRandom random = KernelRandom.orDefault();
        long ones = 0;
        for (int i = 0; i < 4096; i++) ones += Long.bitCount(random.nextLong());
        // 262,144 bits: the mean is 131,072 and the standard deviation 256; 10 of them is never reached by chance.
        assertThat(ones).isBetween(131_072L - 2_560, 131_072L + 2_560);
        random.setSeed(new byte[] {1, 2, 3}); // ignored, as NativePRNG ignores it
        assertThat(random.nextInt(10)).isBetween(0, 9);
    }
}
