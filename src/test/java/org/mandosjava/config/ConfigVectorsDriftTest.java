package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regenerates the vectors with the machine's Python and the installed Mandos server and checks they
 * equal the committed ones, so a change of the generator's cases (or of Python) cannot go unnoticed.
 * Needs /usr/bin/python3 and the mandos package: skipped without them, failed without them on CI.
 */
class ConfigVectorsDriftTest {
    /** The interpreter /usr/sbin/mandos runs under. */
    private static final Path MANDOS_PYTHON = Path.of("/usr/bin/python3");
    private static final Path MANDOS_SERVER = Path.of("/usr/sbin/mandos");
    /** make_config_vectors.py's status when it cannot load /usr/sbin/mandos. */
    private static final int EXIT_NO_MANDOS = 3;
    private static final long GENERATOR_TIMEOUT_SECONDS = 120;

    @Test
    void committedVectorsMatchWhatPythonProducesNow(@TempDir Path tmp) throws Exception {
        requirePeer(Files.isExecutable(MANDOS_PYTHON) && Files.isRegularFile(MANDOS_SERVER),
                MANDOS_PYTHON + " and " + MANDOS_SERVER + " (Debian packages python3, mandos)");
        Path home = Path.of(System.getProperty("mandos.home", "."));
        Path script = home.resolve("src/test/python/make_config_vectors.py");
        Path out = tmp.resolve("vectors.json");
        Process p = new ProcessBuilder(MANDOS_PYTHON.toString(), "-bI", script.toString(), out.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("generator.log").toFile())
                .start();
        try {
            if (!p.waitFor(GENERATOR_TIMEOUT_SECONDS, TimeUnit.SECONDS)) fail("generator did not finish");
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(tmp.resolve("generator.log"));
        requirePeer(p.exitValue() != EXIT_NO_MANDOS, "a loadable /usr/sbin/mandos: " + log);
        assertThat(p.exitValue()).as("generator output: %s", log).isZero();
        assertThat(read(out)).as("regenerate with: /usr/bin/python3 -bI %s src/test/resources/config-vectors.json",
                "src/test/python/make_config_vectors.py").isEqualTo(ConfigVectors.text());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static void requirePeer(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) fail("CI=true but missing: " + what);
        assumeTrue(present, "missing: " + what);
    }
}
