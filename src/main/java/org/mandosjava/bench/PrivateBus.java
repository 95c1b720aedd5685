package org.mandosjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private D-Bus bus shaped like the system bus, for the Python server, which connects to the
 * system bus even with {@code --no-dbus}. Everything is allowed: it is ours alone.
 */
final class PrivateBus implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(10);

    private final Process process;
    private final String address;

    private PrivateBus(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    static PrivateBus start(Path dir) throws IOException, InterruptedException {
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
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket));
        Process p = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dbus.log").toFile()).start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (!Files.exists(socket)) {
            if (!p.isAlive()) throw new IOException("dbus-daemon exited; see " + dir.resolve("dbus.log"));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("dbus-daemon did not create " + socket);
            }
            Thread.sleep(20);
        }
        return new PrivateBus(p, "unix:path=" + socket);
    }

    String address() {
        return address;
    }

    @Override
    public void close() {
        Servers.stop(process.toHandle());
    }
}
