package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the namespace tests need from the machine. Missing pieces fail the test under CI and skip it
 * elsewhere (project rule for real peers).
 */
final class Peers {
    static final Path MANDOS_CLIENT = Path.of("/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");
    static final Path AVAHI_DAEMON = Path.of("/usr/sbin/avahi-daemon");

    private Peers() {}

    /** Root, iproute2, unshare, dbus-daemon, avahi-daemon, avahi-browse, mandos-client, mandos-keygen. */
    static void require() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (network namespaces)");
        }
        for (String program : List.of("ip", "unshare", "dbus-daemon", "avahi-browse", "mandos-keygen",
                "timeout")) {
            if (!onPath(program)) {
                missing.add(program);
            }
        }
        for (Path file : List.of(AVAHI_DAEMON, MANDOS_CLIENT)) {
            if (!Files.isExecutable(file)) {
                missing.add(file.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "missing for the Zeroconf namespace tests: " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(false, message);
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
