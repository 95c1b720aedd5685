package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A secret's C copy holds exactly the secret, and is zero once wiped (as it is before it is freed). */
class NativeSecretTest {
    @Test
    void holdsTheValueUntilWiped() {
        byte[] value = new byte[32];
        for (int i = 0; i < value.length; i++) value[i] = (byte) (i + 1);
        try (NativeSecret secret = new NativeSecret(value)) {
            byte[] back = new byte[32];
            secret.readInto(back);
            assertThat(back).isEqualTo(value);
            assertThat(secret.wiped()).isFalse();
            secret.wipe();
            assertThat(secret.wiped()).isTrue();
        }
    }

    @Test
    void roomForAResultStartsZeroed() {
        try (NativeSecret result = new NativeSecret(64)) {
            assertThat(result.wiped()).isTrue();
        }
    }

    @Test
    void isUnusableOnceClosedAndClosesOnce() {
        NativeSecret secret = new NativeSecret(new byte[] {1, 2, 3});
        secret.close();
        secret.close(); // not a double free
        org.assertj.core.api.Assertions.assertThatThrownBy(secret::pointer).isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NativeSecret(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
