package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code dbus-monitor} on a private bus, its output parsed into the signals it saw, in order. */
public final class DBusMonitor implements AutoCloseable {
    private static final Path PROGRAM = Path.of("/usr/bin/dbus-monitor");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern HEADER = Pattern.compile(
            "^signal time=\\S+ sender=(\\S+) -> destination=.*? serial=\\d+ path=([^;]*); interface=([^;]*); member=(\\S+)$");

    /** One signal: where from, which, and its arguments as dbus-monitor prints them (one line each, trimmed). */
    public record Signal(String path, String iface, String member, List<String> args) {
        @Override
        public String toString() {
            return path + " " + iface + "." + member + args;
        }
    }

    private final ManagedProcess process;

    private DBusMonitor(ManagedProcess process) {
        this.process = process;
    }

    /** Starts monitoring and returns once dbus-monitor has become a monitor. */
    public static DBusMonitor start(PrivateSystemBus bus, Path logDir) throws IOException, InterruptedException {
        Peers.require(PROGRAM, "dbus");
        ManagedProcess process = ManagedProcess.start("dbus-monitor",
                List.of(PROGRAM.toString(), "--address", bus.address()), logDir, Map.of());
        DBusMonitor monitor = new DBusMonitor(process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // A monitor loses its own unique name when it becomes one: that line means it is listening.
        while (!process.stdoutText().contains("member=NameLost")) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                monitor.close();
                throw new IllegalStateException("dbus-monitor did not start\n" + process.diagnostics());
            }
            Thread.sleep(20); // polling, bounded by the deadline
        }
        return monitor;
    }

    /** Every signal seen so far whose interface starts with one of {@code prefixes}. */
    public List<Signal> signals(String... prefixes) throws IOException {
        List<Signal> signals = new ArrayList<>();
        Signal current = null;
        for (String line : process.stdoutText().split("\n", -1)) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                current = null;
                for (String prefix : prefixes) {
                    if (m.group(3).startsWith(prefix)) {
                        current = new Signal(m.group(2), m.group(3), m.group(4), new ArrayList<>());
                        signals.add(current);
                        break;
                    }
                }
            } else if (!line.startsWith(" ") && !line.isEmpty()) {
                current = null;
            } else if (current != null && !line.isBlank()) {
                current.args().add(line.strip());
            }
        }
        return signals;
    }

    @Override
    public void close() {
        process.close();
    }
}
