package org.mandosjava.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretLeakScanTest {
    @TempDir Path tmp;
    final byte[] secret = new byte[300];
    final SecretLeakScan scan = new SecretLeakScan();

    SecretLeakScanTest() {
        new Random(7).nextBytes(secret);
        scan.add(secret, "blob one");
        scan.add("open sesame".getBytes(StandardCharsets.UTF_8), "password one");
        scan.add("pw".getBytes(StandardCharsets.UTF_8), "too short");
    }

    @Test
    void aCleanLogHasNoFindings() throws Exception {
        assertThat(scan.scan(log("INFO: Sending secret to alpha\nWARNING: pw is a word\n"))).isEmpty();
    }

    @Test
    void findsAPartInHexOfEitherCase() throws Exception {
        String part = HexFormat.of().formatHex(secret, 100, 120).toUpperCase();
        assertThat(scan.scan(log("line one\nsecret: " + part + "\n")))
                .isNotEmpty().allSatisfy(f -> {
                    assertThat(f.line()).isEqualTo(2);
                    assertThat(f.form()).isEqualTo("hex");
                });
    }

    @Test
    void findsAPartInBase64AtEveryAlignment() throws Exception {
        for (int offset = 40; offset < 43; offset++) {
            byte[] part = java.util.Arrays.copyOfRange(secret, offset, offset + 30);
            String encoded = Base64.getEncoder().encodeToString(part);
            assertThat(scan.scan(log("x=" + encoded + "\n"))).as("offset %d", offset)
                    .anyMatch(f -> f.form().equals("base64"));
        }
    }

    @Test
    void findsRawBytesAndAWholePassword() throws Exception {
        Path file = tmp.resolve("raw");
        byte[] content = new byte[64];
        System.arraycopy(secret, 200, content, 10, 20);
        Files.write(file, content);
        assertThat(scan.scan(file)).anyMatch(f -> f.form().equals("raw"));
        assertThat(scan.scan(log("client said open sesame\n"))).singleElement()
                .satisfies(f -> assertThat(f.secret()).isEqualTo("password one"));
    }

    @Test
    void fifteenBytesAreNotEnough() throws Exception {
        assertThat(scan.scan(log(HexFormat.of().formatHex(secret, 0, SecretLeakScan.WINDOW - 1)))).isEmpty();
    }

    private Path log(String text) throws Exception {
        Path file = Files.createTempFile(tmp, "log", ".txt");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }
}
