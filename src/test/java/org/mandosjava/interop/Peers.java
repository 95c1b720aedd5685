package org.mandosjava.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real Debian programs our interop tests run against. */
final class Peers {
    static final Path MANDOS_CLIENT = Path.of("/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");
    static final Path MANDOS_KEYGEN = Path.of("/usr/sbin/mandos-keygen");

    private Peers() {}

    /**
     * Demands a real peer: in CI (CI=true) its absence fails the test, since a skipped interop test
     * proves nothing; elsewhere the test is skipped with the reason.
     */
    static void require(Path program) {
        if (Files.isExecutable(program)) return;
        String message = program + " is missing: install the Debian package "
                + (program.equals(MANDOS_KEYGEN) || program.equals(MANDOS_CLIENT) ? "mandos-client" : "?");
        if ("true".equals(System.getenv("CI"))) fail(message);
        assumeTrue(false, message);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
