package org.mandosjava.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.server.Scheduler;
import org.mandosjava.testing.DatagramReceiver;

/** WATCHDOG=1 only while the accept loop and the timer thread make progress; sd_notify's messages. */
class WatchdogTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration NOTHING = Duration.ofMillis(300);

    @TempDir Path dir;
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final AtomicLong acceptBeat = new AtomicLong(now.get());

    /** A timer thread under the test's control: tasks run only when {@link #runAll} says. */
    final class HeldScheduler implements Scheduler {
        final List<Runnable> tasks = new ArrayList<>();

        @Override public Instant now() {
            return Instant.EPOCH;
        }

        @Override public long nanoTime() {
            return now.get();
        }

        @Override public Cancellable schedule(Duration delay, Runnable task) {
            tasks.add(task);
            return () -> { };
        }

        @Override public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
            throw new UnsupportedOperationException();
        }

        void runAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    @Test
    void petsOnlyWhileBothLoopsMakeProgress() throws Exception {
        HeldScheduler timers = new HeldScheduler();
        try (DatagramReceiver systemd = DatagramReceiver.bind(dir.resolve("notify"))) {
            SystemdNotifier notifier = new SystemdNotifier(systemd.path().toString(), TIMEOUT);
            Watchdog dog = new Watchdog(notifier, TIMEOUT, timers, acceptBeat::get, () -> "ok", now::get);

            dog.round();
            assertThat(systemd.receiveText(Duration.ofSeconds(5))).isEqualTo("WATCHDOG=1");

            // The timer thread is stuck: the probe given to it never runs.
            now.addAndGet(TIMEOUT.toNanos());
            acceptBeat.set(now.get());
            dog.round();
            assertThat(systemd.receiveText(NOTHING)).isNull();

            // It runs again.
            timers.runAll();
            dog.round();
            assertThat(systemd.receiveText(Duration.ofSeconds(5))).isEqualTo("WATCHDOG=1");

            // The accept loop is stuck while timers are fine.
            now.addAndGet(TIMEOUT.toNanos());
            dog.round();
            timers.runAll();
            dog.round();
            assertThat(systemd.receiveText(NOTHING)).isNull();
            acceptBeat.set(now.get());
            dog.round();
            assertThat(systemd.receiveText(Duration.ofSeconds(5))).isEqualTo("WATCHDOG=1");
        }
    }

    @Test
    void theEnvironmentDecidesWhatIsSent() throws Exception {
        assertThat(SystemdNotifier.fromEnvironment(Map.of()).enabled()).isFalse();
        long pid = ProcessHandle.current().pid();
        assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", Long.toString(pid))).watchdogTimeout()).contains(Duration.ofSeconds(30));
        assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", Long.toString(pid + 1))).watchdogTimeout()).isEmpty();
        try (DatagramReceiver systemd = DatagramReceiver.bind(dir.resolve("notify"))) {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.path().toString()));
            n.ready("2 clients,\n0 disabled");
            assertThat(systemd.receiveText(Duration.ofSeconds(5))).isEqualTo("READY=1\nSTATUS=2 clients, 0 disabled");
            n.reloading();
            assertThat(systemd.receiveText(Duration.ofSeconds(5))).startsWith("RELOADING=1\n")
                    .containsPattern("\nMONOTONIC_USEC=\\d+$");
        }
    }
}
