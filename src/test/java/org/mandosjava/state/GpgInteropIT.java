package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.Peers;

/**
 * {@link SecretCipher} against GnuPG run exactly as the Python server's {@code PGPEngine} runs it,
 * for the hex passphrase (short secrets) and the escaped one (secrets over 1021 bytes, the normal
 * case for mandos-keygen output), with every awkward byte in the secret.
 */
class GpgInteropIT {
    static final Path GPG = Path.of("/usr/bin/gpg");
    static final Path GPGCONF = Path.of("/usr/bin/gpgconf");

    @TempDir
    Path tmp;

    private Path home;

    @AfterEach
    void stopAgent() throws Exception {
        // gpg starts a gpg-agent for its home directory; stop exactly that one.
        if (home != null && Files.isExecutable(GPGCONF)) run(List.of(GPGCONF.toString(), "--homedir", home.toString(),
                "--kill", "gpg-agent"), new byte[0]);
    }

    @Test
    void bothDirectionsWithHexAndEscapedPassphrases() throws Exception {
        Peers.require(GPG, "gnupg");
        home = Files.createDirectory(tmp.resolve("gnupg"), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Random random = new Random(42);
        SecretCipher cipher = new SecretCipher();
        for (int length : new int[] {16, 1021, 1022, 3000}) {
            byte[] configSecret = new byte[length];
            random.nextBytes(configSecret);
            configSecret[0] = '\\';
            configSecret[1] = '\n';
            configSecret[2] = 0;
            configSecret[3] = (byte) 0xe9;
            configSecret[4] = '\r';
            byte[] plain = ("password of a " + length + "-byte secret\n\0end").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Path passfile = Files.write(tmp.resolve("pass-" + length), SecretCipher.passphrase(configSecret));

            byte[] fromGpg = gpg("--symmetric", passfile, plain);
            assertThat(cipher.decrypt(fromGpg, configSecret)).as("gpg → Java, %d-byte secret", length).isEqualTo(plain);

            byte[] fromJava = cipher.encrypt(plain, configSecret);
            assertThat(gpg("--decrypt", passfile, fromJava)).as("Java → gpg, %d-byte secret", length).isEqualTo(plain);
        }
    }

    private byte[] gpg(String operation, Path passfile, byte[] input) throws Exception {
        return run(List.of(GPG.toString(), operation, "--passphrase-file", passfile.toString(), "--batch", "--homedir",
                home.toString(), "--force-mdc", "--quiet"), input);
    }

    private static byte[] run(List<String> command, byte[] input) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            try (var in = p.getOutputStream()) {
                in.write(input);
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            assertThat(p.exitValue()).as("%s exit status", command).isZero();
            return out.get(10, TimeUnit.SECONDS);
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
