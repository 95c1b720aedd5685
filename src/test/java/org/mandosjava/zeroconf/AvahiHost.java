package org.mandosjava.zeroconf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * An avahi-daemon of the test's own in a network namespace: its own D-Bus system bus (a private
 * dbus-daemon with its socket in the test directory) and its own tmpfs {@code /run} (in a private
 * mount namespace, so nothing is written to the host's {@code /run}).
 */
final class AvahiHost implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final String ns;
    private final Path avahiConf;
    private final PrivateSystemBus bus;
    private ManagedProcess avahi;
    private int starts;

    private AvahiHost(Path dir, String ns, PrivateSystemBus bus) {
        this.dir = dir;
        this.ns = ns;
        this.avahiConf = dir.resolve("avahi-daemon.conf");
        this.bus = bus;
    }

    /** Starts a bus and avahi-daemon announcing only on {@code iface}, under host name {@code hostName}. */
    static AvahiHost start(Path dir, String ns, String iface, String hostName) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("avahi-daemon.conf"), """
                [server]
                host-name=%s
                use-ipv4=yes
                use-ipv6=yes
                allow-interfaces=%s
                enable-dbus=yes
                ratelimit-interval-usec=1000000
                ratelimit-burst=1000
                [wide-area]
                enable-wide-area=no
                [publish]
                publish-hinfo=no
                publish-workstation=no
                """.formatted(hostName, iface));
        AvahiHost host = new AvahiHost(dir, ns, PrivateSystemBus.start(dir));
        try {
            host.startAvahi();
            return host;
        } catch (Exception | AssertionError e) {
            host.close();
            throw e;
        }
    }

    /** For {@code DBUS_SYSTEM_BUS_ADDRESS}. */
    String busAddress() {
        return bus.address();
    }

    Map<String, String> environment() {
        return Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress());
    }

    /** Starts (again) avahi-daemon and waits until it owns its name on the bus. */
    void startAvahi() throws Exception {
        avahi = ManagedProcess.start("avahi-" + ns + "-" + (++starts),
                NetnsPair.in(ns, List.of("unshare", "-m", "sh", "-c",
                        "mount -t tmpfs tmpfs /run && exec avahi-daemon -f " + avahiConf
                                + " --no-chroot --no-drop-root --no-rlimits")),
                dir, environment());
        boolean up = Poll.until(() -> SystemBus.avahiReachable(Optional.of(busAddress())), START_TIMEOUT);
        if (!up) {
            throw new IllegalStateException("avahi-daemon did not come up: " + avahi.describe());
        }
    }

    void stopAvahi() {
        if (avahi != null) {
            avahi.close();
        }
    }

    /** {@code avahi-browse -prt _mandos._tcp} in this namespace: the resolved ("=") lines. */
    List<String> browse() throws IOException, InterruptedException {
        CommandResult result = CommandResult.run(List.of("env",
                "DBUS_SYSTEM_BUS_ADDRESS=" + busAddress(), "ip", "netns", "exec", ns,
                "avahi-browse", "-prt", ZeroconfSettings.SERVICE_TYPE), Duration.ofSeconds(30), Map.of());
        return result.stdoutText().lines().filter(line -> line.startsWith("=;")).toList();
    }

    String describe() {
        return (avahi == null ? "" : avahi.describe() + "\n") + bus.describe();
    }

    @Override
    public void close() {
        stopAvahi();
        bus.close();
    }
}
