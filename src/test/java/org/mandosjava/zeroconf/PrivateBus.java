package org.mandosjava.zeroconf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A dbus-daemon of the test's own, with its socket in the test's directory and an allow-all policy. */
final class PrivateBus implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path socket;
    private final Daemon daemon;

    private PrivateBus(Path socket, Daemon daemon) {
        this.socket = socket;
        this.daemon = daemon;
    }

    static PrivateBus start(Path dir, String label) throws Exception {
        Files.createDirectories(dir);
        Path socket = dir.resolve("system_bus_socket");
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket));
        Daemon daemon = Daemon.start("dbus-" + label, dir, Map.of(),
                List.of("dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile"));
        PrivateBus bus = new PrivateBus(socket, daemon);
        if (!Daemon.poll(() -> Files.exists(socket), START_TIMEOUT)) {
            bus.close();
            throw new IllegalStateException("private D-Bus did not start: " + daemon.describe());
        }
        return bus;
    }

    /** For {@code DBUS_SYSTEM_BUS_ADDRESS}. */
    String address() {
        return "unix:path=" + socket;
    }

    String describe() {
        return daemon.describe();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
