package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.state.SavedState;
import org.mandosjava.state.StateSaver;
import org.mandosjava.testing.LogCapture;
import org.mandosjava.testing.Poll;

/**
 * A state write that takes seconds, on the real timer thread: a rack of clients expiring together
 * must not hold up the other timers, and a change an operator makes waits for its own write.
 */
class SlowDiskTimersTest {
    private static final int CLIENTS = 200;
    private static final Duration WRITE_TAKES = Duration.ofSeconds(2);
    private static final Duration EXPIRY = Duration.ofMillis(500);
    /** The first checker runs at a random time within the interval: not within this test. */
    private static final Duration NO_CHECK_SOON = Duration.ofDays(365);

    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicReference<SavedState> lastWritten = new AtomicReference<>();

    /** Takes {@link #WRITE_TAKES} per write, as a large state on a slow disk. */
    private void slowWrite(SavedState state) throws IOException {
        try {
            Thread.sleep(WRITE_TAKES);
        } catch (InterruptedException e) {
            throw new IOException("interrupted", e);
        }
        lastWritten.set(state);
        writes.incrementAndGet();
    }

    private static ClientConfig client(String name, Duration timeout, Duration approvalDuration) {
        return new ClientConfig(name, "%064x".formatted(name.hashCode() & 0xffffffffL), "", new byte[] {1}, "", "true",
                timeout, Duration.ofMinutes(15), NO_CHECK_SOON, Duration.ofSeconds(30), approvalDuration,
                false, true, Map.of("name", name), Path.of("test"), 1);
    }

    /** The server's adapter, as the command line wires it. */
    private static Persistence persistence(StateSaver saver) {
        return new Persistence() {
            @Override public void awaitDurable() {
                try {
                    saver.awaitDurable();
                } catch (IOException e) {
                    throw new StateNotDurableException(e.getMessage(), e);
                } catch (InterruptedException e) {
                    throw new StateNotDurableException("interrupted", e);
                }
            }

            @Override public void markUrgent() {
                saver.markUrgent();
            }

            @Override public void markDirty() {
                saver.markDirty();
            }
        };
    }

    @Test
    void manyClientsExpiringTogetherDoNotDelayAnApprovalResetBehindSlowWrites() throws Exception {
        List<ClientConfig> configs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) configs.add(client("rack" + i, EXPIRY, Duration.ofMinutes(1)));
        configs.add(client("approver", Duration.ofHours(1), EXPIRY));
        // The 200 "disabled" lines are kept here rather than sent through the test runner's console
        // pipe, which takes longer per line than a server's log and is not what is measured.
        Logger registryLog = Logger.getLogger(ClientRegistry.class.getName());
        registryLog.setUseParentHandlers(false);
        try (LogCapture log = new LogCapture(ClientRegistry.class);
                SystemScheduler timers = new SystemScheduler();
                ClientRegistry registry = new ClientRegistry(configs, timers, new FakeCheckerRunner())) {
            // Bookkeeping could wait an hour: the expiries reach the disk because disables are urgent.
            StateSaver saver = new StateSaver(this::slowWrite, "slow disk", registry::snapshot, Duration.ofHours(1),
                    Duration.ofSeconds(30));
            try (saver) {
                registry.setPersistence(persistence(saver));
                registry.start();
                // An operator's approval waits for its own write; its reset is due with the expiries.
                CompletableFuture<Boolean> approved = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> approved.complete(registry.approve("approver", true)));
                for (int i = 0; i < CLIENTS; i++) registry.checkedOk("rack" + i);  // all expire in EXPIRY
                CompletableFuture<Long> lateness = new CompletableFuture<>();
                long due = System.nanoTime() + EXPIRY.plusMillis(20).toNanos();
                timers.schedule(EXPIRY.plusMillis(20), () -> lateness.complete(System.nanoTime() - due));

                Duration late = Duration.ofNanos(lateness.get(30, TimeUnit.SECONDS));
                assertThat(late).as("a timer due right after %d expiries and an approval reset", CLIENTS)
                        .isLessThan(Duration.ofMillis(100));
                assertThat(approved.get(30, TimeUnit.SECONDS)).isTrue();
                assertThat(registry.statuses()).filteredOn(s -> s.name().startsWith("rack"))
                        .as("disabled in memory at once").hasSize(CLIENTS).noneMatch(ClientStatus::enabled);
                assertThat(Poll.until(() -> log.warnings().size() >= CLIENTS, Duration.ofSeconds(10)))
                        .as("each disable logged: %s", log.warnings()).isTrue();
                assertThat(Poll.until(() -> {
                    SavedState s = lastWritten.get();
                    return s != null && s.clients().values().stream().filter(c -> !c.enabled()).count() == CLIENTS;
                }, Duration.ofSeconds(30))).as("the expiries reach the disk in the saver's own time").isTrue();
            }
        } finally {
            registryLog.setUseParentHandlers(true);
        }
    }

    @Test
    void anOperatorsDisableWaitsForItsOwnWriteAndFailsWhenItCannotBeMade() throws Exception {
        List<ClientConfig> configs = List.of(client("a", Duration.ofHours(1), Duration.ofSeconds(1)));
        try (SystemScheduler timers = new SystemScheduler();
                ClientRegistry registry = new ClientRegistry(configs, timers, new FakeCheckerRunner())) {
            StateSaver saver = new StateSaver(this::slowWrite, "slow disk", registry::snapshot, Duration.ofHours(1),
                    Duration.ofMillis(500));
            try (saver) {
                registry.setPersistence(persistence(saver));
                registry.start();
                assertThatThrownBy(() -> registry.disable("a")).isInstanceOf(StateNotDurableException.class)
                        .hasMessageContaining("not written to slow disk within 500 ms");
                assertThat(registry.status("a").orElseThrow().enabled()).as("refused in memory at once").isFalse();
                assertThat(Poll.until(() -> writes.get() >= 1, Duration.ofSeconds(30))).isTrue();
                assertThat(lastWritten.get().clients().get("a").enabled()).isFalse();
            }
        }
    }
}
