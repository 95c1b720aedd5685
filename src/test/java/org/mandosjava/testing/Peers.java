package org.mandosjava.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    public static final Path AVAHI_DAEMON = Path.of("/usr/sbin/avahi-daemon");

    private Peers() {}

    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips (locally) or fails (in CI) unless {@code program} is an executable file. */
    public static void require(Path program, String debianPackage) {
        if (Files.isExecutable(program)) return;
        missing(program + " is missing (Debian package " + debianPackage + ")");
    }

    /**
     * Skips (locally) or fails (in CI), naming everything missing at once, unless the test runs as
     * root (when {@code needsRoot}), every command is on the PATH and every program is executable.
     */
    public static void requireAll(String purpose, boolean needsRoot, List<String> commands, List<Path> programs) {
        List<String> missing = new ArrayList<>();
        if (needsRoot && !"root".equals(System.getProperty("user.name"))) {
            missing.add("root (network namespaces)");
        }
        for (String command : commands) {
            if (!onPath(command)) missing.add(command);
        }
        for (Path program : programs) {
            if (!Files.isExecutable(program)) missing.add(program.toString());
        }
        if (!missing.isEmpty()) missing("missing for " + purpose + ": " + String.join(", ", missing));
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    private static void missing(String message) {
        if (inCi()) fail(message);
        assumeTrue(false, message);
    }
}
