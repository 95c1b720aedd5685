package org.mandosjava.tools.keygen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds this host's SSH host key the way mandos-keygen does, with {@code ssh-keyscan -t TYPE
 * localhost} for each type in turn, so the server can use it as checker.
 */
final class SshHostKeyScanner {
    static final List<String> KEY_TYPES = List.of("ecdsa-sha2-nistp256", "ed25519", "rsa");
    private static final long SCAN_TIMEOUT_SECONDS = 15;

    /** @param type the ssh-keyscan {@code -t} type, @param key {@code "TYPE BASE64"} as printed after the host */
    record HostKey(String type, String key) {}

    private SshHostKeyScanner() {}

    static Optional<HostKey> scanLocalhost() {
        for (String type : KEY_TYPES) {
            Optional<String> key = scan(type);
            if (key.isPresent()) return Optional.of(new HostKey(type, key.get()));
        }
        return Optional.empty();
    }

    private static Optional<String> scan(String type) {
        Process process;
        try {
            process = new ProcessBuilder("ssh-keyscan", "-t", type, "localhost")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return Optional.empty(); // no ssh-keyscan: no checker, as with the original
        }
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(SCAN_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return new String(output, StandardCharsets.UTF_8).lines()
                    .filter(line -> line.startsWith("localhost "))
                    .map(line -> line.substring("localhost ".length()).strip())
                    .filter(line -> !line.isEmpty())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            process.destroy();
        }
    }
}
