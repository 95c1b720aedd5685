package org.mandosjava.zeroconf;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run in a fresh pair of network namespaces: everything a test starts is
 * registered here and stopped (by PID, newest first) and the namespaces deleted after each test, also
 * when it fails.
 */
abstract class NamespaceTest {
    static final String PASSWORD = "zeroconf-secret-Ünïcödé";

    @TempDir
    static Path keysDir;
    static ClientKeys keys;

    @TempDir
    Path dir;
    NetnsPair net;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @BeforeAll
    static void makeKeys() throws Exception {
        Peers.require();
        keys = ClientKeys.create(keysDir.resolve("client"), "zeroconf-client", PASSWORD);
    }

    @BeforeEach
    void makeNetwork() throws Exception {
        // The server may drop root after binding; it must still reach the private bus socket in here.
        java.nio.file.Files.setPosixFilePermissions(dir,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        net = track(NetnsPair.create());
    }

    @AfterEach
    void stopEverything() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    <T extends AutoCloseable> T track(T resource) {
        started.push(resource);
        return resource;
    }

    AvahiHost avahiOnServer() throws Exception {
        return track(AvahiHost.start(dir.resolve("avahi-server"), net.serverNs, net.serverIf, "mandos-server"));
    }

    Daemon client() throws Exception {
        return track(keys.startClient(dir, net.clientNs, net.clientIf, java.time.Duration.ofSeconds(90)));
    }

    /** Environment for a process that must see no system bus at all, even if the host has one. */
    Map<String, String> noSystemBus() {
        return Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + dir.resolve("no-such-bus"));
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path projectHome() {
        return Path.of(System.getProperty("mandos.home", "."));
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
