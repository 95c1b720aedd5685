package org.mandosjava.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.platform.UnixDatagram;

/**
 * sd_notify(3): state changes sent as datagrams to {@code $NOTIFY_SOCKET} ({@code READY=1},
 * {@code STATUS=…}, {@code RELOADING=1}, {@code WATCHDOG=1}, {@code STOPPING=1}). Without that
 * variable (not started by systemd, or a unit that does not listen) every call does nothing. A send
 * that fails is logged once and not retried: systemd is then told nothing more, which a
 * {@code WatchdogSec=} turns into a restart, as for a hung server.
 */
public final class SystemdNotifier {
    private static final Logger LOG = Logger.getLogger(SystemdNotifier.class.getName());
    public static final SystemdNotifier NONE = new SystemdNotifier(null, null);

    private final String socket;
    private final Duration watchdog;
    private volatile boolean failedOnce;

    SystemdNotifier(String socket, Duration watchdog) {
        this.socket = socket;
        this.watchdog = watchdog;
    }

    /** As the environment says: {@code NOTIFY_SOCKET}, and {@code WATCHDOG_USEC} if meant for this process. */
    public static SystemdNotifier fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) return NONE;
        Duration watchdog = null;
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        boolean ours = pid == null || pid.equals(Long.toString(ProcessHandle.current().pid()));
        if (usec != null && ours) {
            try {
                long micros = Long.parseLong(usec.strip());
                if (micros > 0) watchdog = Duration.ofNanos(micros * 1000);
            } catch (NumberFormatException e) {
                LOG.warning("Ignoring WATCHDOG_USEC=" + usec + ": not a number");
            }
        }
        return new SystemdNotifier(socket, watchdog);
    }

    public boolean enabled() {
        return socket != null;
    }

    /** How often systemd wants to hear {@code WATCHDOG=1} at the latest, if it does. */
    public Optional<Duration> watchdogTimeout() {
        return Optional.ofNullable(watchdog);
    }

    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** Around a reload: {@code RELOADING=1} with the monotonic time systemd (notify-reload) checks. */
    public void reloading() {
        send("RELOADING=1\nSTATUS=Reloading clients.conf\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    public void stopping() {
        send("STOPPING=1\nSTATUS=Shutting down");
    }

    public void watchdog() {
        send("WATCHDOG=1");
    }

    void send(String state) {
        if (socket == null) return;
        try {
            UnixDatagram.send(socket, state.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!failedOnce) LOG.log(Level.WARNING, "Cannot notify systemd at " + socket + ": " + e.getMessage());
            failedOnce = true;
        }
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ');
    }
}
