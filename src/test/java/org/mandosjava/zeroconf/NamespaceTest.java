package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.Cleanup;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.Peers;

/**
 * Base of the tests that run in a fresh pair of network namespaces: everything a test starts is
 * registered here and stopped (by PID, newest first) and the namespaces deleted after each test, also
 * when it fails.
 */
abstract class NamespaceTest {
    static final String PASSWORD = "zeroconf-secret-Ünïcödé";
    static final String CLIENT_NAME = "zeroconf-client";
    private static final Duration CLIENT_LIMIT = Duration.ofSeconds(90);
    private static final Duration SERVER_STARTUP = Duration.ofSeconds(60);

    @TempDir
    static Path keysDir;
    static Keys keys;
    /** The client's clients.conf section, as the real {@code mandos-keygen --passfile} prints it. */
    static String clientsConfSection;

    @TempDir
    Path dir;
    NetnsPair net;
    private final Cleanup cleanup = new Cleanup();

    @BeforeAll
    static void makeKeys() throws Exception {
        Peers.requireAll("the Zeroconf namespace tests", true,
                List.of("ip", "unshare", "dbus-daemon", "avahi-browse", "mandos-keygen", "timeout"),
                List.of(Peers.AVAHI_DAEMON, Peers.REAL_CLIENT));
        keys = Keys.generate(Keys.Keygen.REAL, keysDir.resolve("client"), CLIENT_NAME);
        clientsConfSection = keys.clientsConfSection(Keys.Keygen.REAL, CLIENT_NAME,
                PASSWORD.getBytes(StandardCharsets.UTF_8));
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
        cleanup.close();
    }

    <T extends AutoCloseable> T track(T resource) {
        return cleanup.track(resource);
    }

    Path configDir(String label) {
        return dir.resolve("config-" + label);
    }

    /**
     * Our server (bin/mandos) in the server namespace, on the server veth only, with {@code clientsConf}
     * given {@code checker = true}; returns once it logs that it listens.
     */
    ManagedProcess ourServer(String label, Map<String, String> env, int port, String clientsConf, String... extra)
            throws Exception {
        Path config = java.nio.file.Files.createDirectories(configDir(label));
        // The checker is beside the point here; "true" keeps fping and name lookups out of it.
        java.nio.file.Files.writeString(config.resolve("clients.conf"),
                clientsConf.replaceFirst("\\]\n", "]\nchecker = true\n"));
        Path state = java.nio.file.Files.createDirectories(dir.resolve("state-" + label));
        List<String> command = new ArrayList<>(List.of(projectHome().resolve("bin/mandos").toString(),
                "--configdir", config.toString(), "--foreground", "--debug", "--no-dbus", "--no-restore",
                "--statedir", state.toString(), "--interface", net.serverIf, "--port", String.valueOf(port)));
        command.addAll(List.of(extra));
        ManagedProcess server = track(ManagedProcess.start("mandos-" + label, NetnsPair.in(net.serverNs, command),
                dir, env));
        assertThat(server.awaitStderr(Pattern.compile("Now listening on address"), SERVER_STARTUP))
                .as(server.describe()).isTrue();
        return server;
    }

    AvahiHost avahiOnServer() throws Exception {
        return track(AvahiHost.start(dir.resolve("avahi-server"), net.serverNs, net.serverIf, "mandos-server"));
    }

    /**
     * The real client, discovering servers by Zeroconf on the client veth only (no {@code --connect}),
     * in the client namespace, stopped by {@code timeout} if it never gets the password.
     */
    ManagedProcess client() throws Exception {
        Path hooks = java.nio.file.Files.createDirectories(dir.resolve("no-network-hooks"));
        List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5", CLIENT_LIMIT.toSeconds() + "s",
                Peers.REAL_CLIENT.toString(), "--debug", "--interface=" + net.clientIf,
                "--network-hook-dir=" + hooks));
        command.addAll(keys.clientKeyOptions());
        return track(ManagedProcess.start("mandos-client-" + net.clientNs, NetnsPair.in(net.clientNs, command),
                dir, Map.of()));
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
