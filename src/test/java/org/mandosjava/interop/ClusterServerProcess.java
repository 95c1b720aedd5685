package org.mandosjava.interop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mandosjava.control.BusConnection;
import org.mandosjava.testing.PrivateSystemBus;
import org.mandosjava.testing.ServerProcess;

/**
 * One of our servers as a member of a cluster: the packaged jar, its own config and state
 * directories (kept across restarts, so a restart restores its state file), its own private system
 * bus for D-Bus (mandos-ctl and mandos-monitor talk to it through that), and etcd settings in its
 * mandos.conf. Stopped by PID only.
 */
final class ClusterServerProcess implements AutoCloseable {
    static final String BUS_NAME = "se.recompile.Mandos";
    static final String CLIENT_INTERFACE = "se.recompile.Mandos.Client";

    final String id;
    final Path config;
    final Path state;
    final int port;
    final PrivateSystemBus bus;
    private ServerProcess process;
    /** More environment for the server (and so its checkers). */
    java.util.Map<String, String> environment = java.util.Map.of();
    private BusConnection dbus;

    private ClusterServerProcess(String id, Path dir, int port, PrivateSystemBus bus) throws IOException {
        this.id = id;
        this.config = Files.createDirectories(dir.resolve("config"));
        this.state = Files.createDirectories(dir.resolve("state"));
        // Run as root, the server saves state as its unprivileged user, which must reach the directory.
        Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        this.port = port;
        this.bus = bus;
    }

    /**
     * Writes the configuration and starts the server.
     *
     * @param extraConf more mandos.conf lines ([DEFAULT] section)
     */
    static ClusterServerProcess start(Path dir, String id, String clientsConf, List<URI> etcd, String prefix,
            String extraConf) throws Exception {
        return start(dir, id, clientsConf, etcd, prefix, extraConf, java.util.Map.of());
    }

    static ClusterServerProcess start(Path dir, String id, String clientsConf, List<URI> etcd, String prefix,
            String extraConf, java.util.Map<String, String> environment) throws Exception {
        Files.createDirectories(dir);
        PrivateSystemBus bus = PrivateSystemBus.start(Files.createDirectories(dir.resolve("bus")));
        ClusterServerProcess s = new ClusterServerProcess(id, dir, ServerProcess.freePort(), bus);
        Files.writeString(s.config.resolve("clients.conf"), clientsConf);
        s.writeMandosConf(etcd, prefix, extraConf);
        s.environment = environment;
        s.start();
        return s;
    }

    void writeMandosConf(List<URI> etcd, String prefix, String extraConf) throws IOException {
        String endpoints = etcd.stream().map(URI::toString).collect(Collectors.joining(","));
        Files.writeString(config.resolve("mandos.conf"), "[DEFAULT]\n"
                + (etcd.isEmpty() ? "" : "etcd_endpoints = " + endpoints + "\n")
                + "etcd_prefix = " + prefix + "\n"
                + "server_id = " + id + "\n"
                + "etcd_timeout = 1s\n"
                + "cluster_confirm_timeout = 2s\n"
                + extraConf);
        for (String f : List.of("mandos.conf", "clients.conf")) {
            Files.setPosixFilePermissions(config.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    void start() throws Exception {
        List<String> args = new ArrayList<>(List.of("--configdir", config.toString(), "--foreground",
                "--debuglevel", "INFO", "--no-zeroconf", "--statedir", state.toString(), "--address", "::1",
                "--port", Integer.toString(port)));
        java.util.Map<String, String> env = new java.util.HashMap<>(bus.environment());
        env.putAll(environment);
        process = ServerProcess.start(args, env);
        bus.awaitName(BUS_NAME, Duration.ofSeconds(30), process::isAlive);
        dbus = BusConnection.open(bus.address());
    }

    /** The {@code --connect} value for clients. */
    String connect() {
        return "[::1]:" + port;
    }

    ServerProcess process() {
        return process;
    }

    /** Calls a client method over D-Bus; throws BusConnection.ErrorReply for an error reply. */
    Object[] clientCall(String client, String method) throws Exception {
        return dbus.call(BUS_NAME, "/clients/" + client, CLIENT_INTERFACE, method, null);
    }

    /** A client's property, over D-Bus. */
    Object clientProperty(String client, String name) throws Exception {
        Object v = dbus.call(BUS_NAME, "/clients/" + client, "org.freedesktop.DBus.Properties", "Get", "ss",
                CLIENT_INTERFACE, name)[0];
        return v instanceof org.freedesktop.dbus.types.Variant<?> variant ? variant.getValue() : v;
    }

    Object serverProperty(String name) throws Exception {
        Object v = dbus.call(BUS_NAME, "/", "org.freedesktop.DBus.Properties", "Get", "ss", BUS_NAME, name)[0];
        return v instanceof org.freedesktop.dbus.types.Variant<?> variant ? variant.getValue() : v;
    }

    /** SIGKILL, no goodbye: as a crash. */
    void kill9() throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start().waitFor();
        closeBusConnection();
        process.close();
    }

    /** SIGTERM: leaves the cluster cleanly. */
    void stop() throws Exception {
        closeBusConnection();
        if (process != null) process.stop();
    }

    /** Replaces the state file with a copy saved earlier. */
    void restoreStateFrom(Path saved) throws IOException {
        try (var files = Files.list(saved)) {
            for (Path f : files.toList()) {
                Files.copy(f, state.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Copies the state directory's files to {@code to}. */
    void saveStateTo(Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void closeBusConnection() {
        if (dbus != null) dbus.close();
        dbus = null;
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            bus.close();
        }
    }
}
