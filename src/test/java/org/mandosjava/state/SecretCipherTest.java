package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private final SecretCipher cipher = new SecretCipher();

    @Test
    void shortSecretsGiveTheHexPassphrase() {
        assertThat(new String(SecretCipher.passphrase(new byte[] {0, (byte) 0xab, '\n'}), StandardCharsets.US_ASCII))
                .isEqualTo("mandos00ab0a");
        // 6 + 2 × 1021 = 2048: still hex.
        byte[] limit = new byte[1021];
        assertThat(SecretCipher.passphrase(limit)).hasSize(2048).startsWith('m', 'a', 'n', 'd', 'o', 's', '0');
    }

    @Test
    void longSecretsGiveTheEscapedPassphrase() {
        byte[] secret = new byte[1022];
        Arrays.fill(secret, (byte) 'x');
        secret[0] = '\\';
        secret[1] = '\n';
        secret[2] = 0;
        secret[3] = (byte) 0xff;
        byte[] p = SecretCipher.passphrase(secret);
        byte[] head = Arrays.copyOf(p, 15);
        assertThat(head).isEqualTo(new byte[] {'m', 'a', 'n', 'd', 'o', 's', '\\', '\\', '\\', 'n', '\\', 'x', '0', '0',
                (byte) 0xff});
        assertThat(p).hasSize(6 + 1022 + 1 + 1 + 3);
    }

    @Test
    void roundTripsWithShortAndLongConfigSecrets() throws Exception {
        Random random = new Random(1);
        for (int length : new int[] {1, 16, 1021, 1022, 4000}) {
            byte[] configSecret = new byte[length];
            random.nextBytes(configSecret);
            byte[] plain = ("secret for " + length).getBytes(StandardCharsets.UTF_8);
            byte[] message = cipher.encrypt(plain, configSecret);
            assertThat(cipher.decrypt(message, configSecret)).isEqualTo(plain);
        }
    }

    @Test
    void anotherConfigSecretCannotDecrypt() {
        byte[] message = cipher.encrypt("p".getBytes(StandardCharsets.UTF_8), "one".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cipher.decrypt(message, "two".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecretCipher.DecryptionException.class);
    }

    @Test
    void tamperedMessageIsRejected() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] message = cipher.encrypt("a longer plaintext to tamper with".getBytes(StandardCharsets.UTF_8), key);
        message[message.length - 5] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(message, key)).isInstanceOf(SecretCipher.DecryptionException.class);
    }

    @Test
    void writesAesSeipdV1WithIteratedSaltedS2k() {
        byte[] m = cipher.encrypt(new byte[] {1}, new byte[] {2});
        // New-format packet tag 3 (SKESK), version 4, AES-256 (9), S2K type 3 (iterated+salted).
        assertThat(m[0] & 0xff).isEqualTo(0xc3);
        assertThat(Arrays.copyOfRange(m, 2, 5)).containsExactly(4, 9, 3);
        // Then tag 18: symmetrically encrypted integrity-protected data (SEIPD), version 1.
        int next = 2 + (m[1] & 0xff);
        assertThat(m[next] & 0xff).isEqualTo(0xc0 | 18);
    }
}
