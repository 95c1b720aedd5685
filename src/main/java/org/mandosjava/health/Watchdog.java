package org.mandosjava.health;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.mandosjava.server.Scheduler;

/**
 * Tells systemd the server is alive ({@code WATCHDOG=1}) only while it is: the accept loop is
 * waiting in accept() or has come back from it recently (its heartbeat) and the timer thread has run
 * a probe task this watchdog gave it. Runs every half of the watchdog timeout on a thread
 * of its own; also refreshes the {@code STATUS=} line every {@link #STATUS_EVERY}.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());
    static final Duration STATUS_EVERY = Duration.ofMinutes(1);

    private final SystemdNotifier notifier;
    private final Duration timeout;
    private final Scheduler timers;
    private final LongSupplier acceptHeartbeat;
    private final Supplier<String> status;
    private final LongSupplier nanoTime;
    private volatile long timerBeat;
    private final Thread thread;
    private boolean complained;

    /**
     * @param acceptHeartbeat the accept loop's sign of life, a {@link System#nanoTime()}
     * @param status the current status line
     */
    public Watchdog(SystemdNotifier notifier, Duration timeout, Scheduler timers, LongSupplier acceptHeartbeat,
            Supplier<String> status) {
        this(notifier, timeout, timers, acceptHeartbeat, status, System::nanoTime);
    }

    Watchdog(SystemdNotifier notifier, Duration timeout, Scheduler timers, LongSupplier acceptHeartbeat,
            Supplier<String> status, LongSupplier nanoTime) {
        this.notifier = notifier;
        this.timeout = timeout;
        this.timers = timers;
        this.acceptHeartbeat = acceptHeartbeat;
        this.status = status;
        this.nanoTime = nanoTime;
        this.timerBeat = nanoTime.getAsLong();
        this.thread = Thread.ofPlatform().name("mandos-sd-watchdog").daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** Whether both the accept loop and the timer thread have shown life within the timeout. */
    boolean alive(long now) {
        long limit = timeout.toNanos();
        return now - acceptHeartbeat.getAsLong() < limit && now - timerBeat < limit;
    }

    /** One round: probe the timer thread, then tell systemd if all is well. */
    void round() {
        long now = nanoTime.getAsLong();
        timers.schedule(Duration.ZERO, () -> timerBeat = nanoTime.getAsLong());
        if (alive(now)) {
            notifier.watchdog();
            if (complained) LOG.warning("Watchdog: accept loop and timers are making progress again");
            complained = false;
        } else if (!complained) {
            complained = true;
            LOG.severe("Watchdog: " + (now - acceptHeartbeat.getAsLong() >= timeout.toNanos() ? "the accept loop"
                    : "the timer thread") + " has made no progress for " + timeout.toSeconds()
                    + " s; not telling systemd we are alive");
        }
    }

    private void run() {
        long period = Math.max(1, timeout.toMillis() / 2);
        long lastStatus = nanoTime.getAsLong();
        try {
            while (true) {
                Thread.sleep(period);
                round();
                if (nanoTime.getAsLong() - lastStatus >= STATUS_EVERY.toNanos()) {
                    notifier.status(status.get());
                    lastStatus = nanoTime.getAsLong();
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
