package org.mandosjava.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real Debian peers (mandos-client, mandos-keygen, the Python mandos server, dbus-daemon) used as
 * test counterparts. A missing peer skips the test locally but fails it in CI ({@code CI=true}),
 * where the packages are installed and a skip would hide a broken setup.
 */
public final class Peers {
    public static final Path REAL_CLIENT = Path.of("/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");
    public static final Path REAL_KEYGEN = Path.of("/usr/sbin/mandos-keygen");
    public static final Path PYTHON_SERVER = Path.of("/usr/sbin/mandos");
    public static final Path DBUS_DAEMON = Path.of("/usr/bin/dbus-daemon");

    private Peers() {}

    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips (locally) or fails (in CI) unless {@code program} is an executable file. */
    public static void require(Path program, String debianPackage) {
        if (Files.isExecutable(program)) return;
        String message = program + " is missing (Debian package " + debianPackage + ")";
        if (inCi()) fail(message);
        assumeTrue(false, message);
    }
}
