package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A private D-Bus bus configured like the system bus but allowing everything, listening on a
 * socket in its own directory. Programs find it through {@code DBUS_SYSTEM_BUS_ADDRESS}
 * ({@link #environment()}). The directory is world-traversable so daemons that drop privileges
 * (the Python mandos server runs as _mandos or nobody) can still connect.
 */
public final class PrivateSystemBus implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20); // generous: CI machines are busy

    private final ManagedProcess daemon;
    private final String address;

    private PrivateSystemBus(ManagedProcess daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    /** Starts the bus with its configuration, socket and logs under {@code dir} (created if missing). */
    public static PrivateSystemBus start(Path dir) throws IOException, InterruptedException {
        return start(dir, ALLOW_ALL);
    }

    /** Everything allowed, eavesdropping included: tests watch and call as they like. */
    private static final String ALLOW_ALL = """
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*" eavesdrop="true"/>
                <allow receive_sender="*"/>
                <allow eavesdrop="true"/>
              </policy>
            """;

    /**
     * Starts a bus whose configuration has {@code policy} (policy and include elements) instead of
     * allowing everything: for tests of a bus policy itself.
     */
    public static PrivateSystemBus start(Path dir, String policy) throws IOException, InterruptedException {
        Peers.require(Peers.DBUS_DAEMON, "dbus-daemon");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = dir.resolve("system_bus_socket");
        Path config = dir.resolve("system-bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                %s</busconfig>
                """.formatted(socket, policy));
        ManagedProcess daemon = ManagedProcess.start("dbus-daemon",
                List.of(Peers.DBUS_DAEMON.toString(), "--config-file=" + config, "--nofork", "--print-address=1"),
                dir, Map.of());
        try {
            String address = awaitAddress(daemon);
            return new PrivateSystemBus(daemon, address);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            daemon.close();
            throw e;
        }
    }

    private static String awaitAddress(ManagedProcess daemon) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String printed = daemon.stdoutText();
            if (printed.contains("\n")) return printed.lines().findFirst().orElseThrow().strip();
            if (!daemon.isAlive()) break;
            Thread.sleep(20); // polling the address file, bounded by the deadline
        }
        throw new IllegalStateException("dbus-daemon printed no address within " + START_TIMEOUT + "\n"
                + daemon.diagnostics());
    }

    /** e.g. {@code unix:path=/tmp/…/system_bus_socket,guid=…} */
    public String address() {
        return address;
    }

    /** The variables that make a program use this bus as its system bus. */
    public Map<String, String> environment() {
        return Map.of("DBUS_SYSTEM_BUS_ADDRESS", address);
    }

    /** Waits until some connection owns {@code name} (a server is ready when it has its bus name). */
    public void awaitName(String name, Duration timeout, java.util.function.BooleanSupplier stillWorthWaiting)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && stillWorthWaiting.getAsBoolean()) {
            CommandResult r = CommandResult.run(List.of("dbus-send", "--bus=" + address, "--print-reply",
                    "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                    "string:" + name), START_TIMEOUT, Map.of());
            if (r.exitStatus() == 0 && r.stdoutText().contains("boolean true")) return;
            Thread.sleep(50); // polling, bounded by the deadline
        }
        throw new IllegalStateException("nobody took the bus name " + name + " within " + timeout);
    }

    /** For failure messages: the bus daemon's state and output. */
    public String describe() {
        return daemon.describe();
    }

    public long pid() {
        return daemon.pid();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
