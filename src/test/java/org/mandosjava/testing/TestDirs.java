package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for peers that may run as another user (so: world-traversable, under /tmp). */
public final class TestDirs {
    private TestDirs() {}

    /** A new directory under the system temp dir with mode 0755. */
    public static Path shared(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Removes {@code dir} and everything under it; errors are ignored (best-effort cleanup). */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file must not fail the test
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
