package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.LogCapture;
import org.mandosjava.testing.Poll;

class StateSaverTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final AtomicReference<SavedState> current = new AtomicReference<>();
    private final AtomicInteger snapshots = new AtomicInteger();

    private SavedState snapshot() {
        snapshots.incrementAndGet();
        return current.get();
    }

    static SavedState state(int generation, boolean enabled) {
        return StateStoreTest.state(Snapshots.T0.plusSeconds(generation), Snapshots.sparse("a", enabled));
    }

    private static SavedState onDisk(StateStore store) throws Exception {
        return store.load(StateStoreTest.SECRETS).orElseThrow().state();
    }

    @Test
    void awaitDurableReturnsWithTheChangeOnDisk() throws Exception {
        StateStore store = StateStore.prepare(tmp.resolve("s"));
        try (StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofHours(1))) {
            current.set(state(1, false));
            saver.awaitDurable();
            assertThat(onDisk(store)).isEqualTo(state(1, false));
        }
    }

    @Test
    void markDirtyCoalescesManyChangesIntoFewWritesOfTheLatestState() throws Exception {
        StateStore store = StateStore.prepare(tmp.resolve("s"));
        try (StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofMillis(500))) {
            for (int i = 0; i < 1000; i++) {
                current.set(state(i, i % 2 == 0));
                saver.markDirty();
            }
            assertThat(Poll.until(() -> Files.exists(store.currentFile()), LONG)).isTrue();
            assertThat(onDisk(store)).isEqualTo(state(999, false));
            assertThat(snapshots.get()).isBetween(1, 3);
        }
    }

    @Test
    void markUrgentIsWrittenAtOnceWithoutWaiting() throws Exception {
        GatedWriter writer = new GatedWriter();
        current.set(state(1, false));
        try (StateSaver saver = new StateSaver(writer, "test", this::snapshot, Duration.ofHours(1), LONG)) {
            saver.markUrgent();  // returns while the write is held back
            assertThat(Poll.until(() -> writer.started.get() == 1, LONG)).as("not after the hour").isTrue();
            writer.permits.release(100);
        }
    }

    @Test
    void closeWritesTheFinalState() throws Exception {
        StateStore store = StateStore.prepare(tmp.resolve("s"));
        StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofHours(1));
        current.set(state(1, true));
        saver.markDirty();
        current.set(state(2, false));
        saver.close();
        assertThat(onDisk(store)).isEqualTo(state(2, false));
        saver.markDirty();  // after close: ignored, not thrown
        assertThatThrownBy(saver::awaitDurable).isInstanceOf(IOException.class).hasMessageContaining("shutting down");
    }

    /** A writer that blocks each write until the test lets it go, and counts what it wrote. */
    private static final class GatedWriter implements StateSaver.Writer {
        final Semaphore permits = new Semaphore(0);
        final AtomicInteger started = new AtomicInteger();
        final List<SavedState> written = new ArrayList<>();

        @Override
        public void write(SavedState state) throws IOException {
            started.incrementAndGet();
            permits.acquireUninterruptibly();
            synchronized (written) {
                written.add(state);
            }
        }
    }

    @Test
    void manyWaitingChangesShareOneWriteThatStartedAfterThem() throws Exception {
        GatedWriter writer = new GatedWriter();
        current.set(state(0, true));
        ExecutorService callers = Executors.newFixedThreadPool(21);  // every caller waits at once
        try (StateSaver saver = new StateSaver(writer, "test", this::snapshot, Duration.ofHours(1), LONG)) {
            Future<?> first = callers.submit(() -> {
                saver.awaitDurable();
                return null;
            });
            assertThat(Poll.until(() -> writer.started.get() == 1, LONG)).isTrue();
            // Made while write 1 is under way: write 1 does not count for them.
            current.set(state(1, false));
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(callers.submit(() -> {
                    saver.awaitDurable();
                    return null;
                }));
            }
            assertThat(Poll.until(() -> saver.changesNoted() == 21, LONG)).as("all 21 changes noted").isTrue();
            writer.permits.release();
            first.get(30, TimeUnit.SECONDS);
            assertThat(waiting).noneMatch(Future::isDone);
            writer.permits.release(100);
            for (Future<?> f : waiting) f.get(30, TimeUnit.SECONDS);
            assertThat(writer.started.get()).as("writes for 21 changes").isEqualTo(2);
            assertThat(writer.written.get(1)).isEqualTo(state(1, false));
        } finally {
            writer.permits.release(100);  // close() writes once more, also when an assertion failed
            callers.shutdownNow();
        }
    }

    @Test
    void aFailedWriteIsTheWaitersErrorAndIsRetriedUntilItWorks() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        List<SavedState> written = new ArrayList<>();
        StateSaver.Writer writer = state -> {
            attempts.incrementAndGet();
            if (full.get()) throw new IOException("No space left on device");
            synchronized (written) {
                written.add(state);
            }
        };
        try (LogCapture log = new LogCapture(StateSaver.class);
                StateSaver saver = new StateSaver(writer, "test", this::snapshot, Duration.ofHours(1), LONG)) {
            current.set(state(1, false));
            assertThatThrownBy(saver::awaitDurable).isInstanceOf(IOException.class)
                    .hasMessage("test: No space left on device");
            assertThat(Poll.until(() -> attempts.get() >= 3, LONG)).as("retried by itself").isTrue();
            assertThat(log.severe()).as("one SEVERE for a run of failures").hasSize(1);
            assertThat(log.severe().get(0)).contains("Could not save state to test: No space left on device");
            full.set(false);
            assertThat(Poll.until(() -> !log.warnings().isEmpty(), LONG)).isTrue();
            assertThat(log.warnings()).containsExactly("State saved to test again");
            synchronized (written) {
                assertThat(written).last().isEqualTo(state(1, false));
            }
            current.set(state(2, true));
            saver.awaitDurable();
        }
    }

    @Test
    void everyWritesOutcomeIsReported() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        StateSaver.Writer writer = state -> {
            if (full.get()) throw new IOException("No space left on device");
        };
        try (StateSaver saver = new StateSaver(writer, "test", this::snapshot, Duration.ofHours(1), LONG)) {
            saver.setOutcomes((saved, problem) -> outcomes.add(saved ? "saved" : problem));
            current.set(state(1, false));
            assertThatThrownBy(saver::awaitDurable).isInstanceOf(IOException.class);
            full.set(false);
            assertThat(Poll.until(() -> outcomes.contains("saved"), LONG)).isTrue();
            assertThat(outcomes.get(0)).isEqualTo("No space left on device");
        }
    }

    @Test
    void aWriteThatHangsIsReportedAfterTheWaitBoundAndMarkingNeverWaits() throws Exception {
        GatedWriter writer = new GatedWriter();
        current.set(state(1, false));
        try (StateSaver saver = new StateSaver(writer, "test", this::snapshot, Duration.ZERO, Duration.ofMillis(300))) {
            long start = System.nanoTime();
            assertThatThrownBy(saver::awaitDurable).isInstanceOf(IOException.class)
                    .hasMessage("not written to test within 300 ms (the disk is slow or hangs)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), LONG);
            long marking = System.nanoTime();
            for (int i = 0; i < 1000; i++) saver.markDirty();
            assertThat(Duration.ofNanos(System.nanoTime() - marking)).isLessThan(Duration.ofMillis(100));
            writer.permits.release(100);
        }
    }

    @Test
    void aChangeMadeWhileFailingIsTriedAtOnceNotAfterTheRetryPause() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        CountDownLatch failedOnce = new CountDownLatch(1);
        StateSaver.Writer writer = state -> {
            if (full.get()) {
                failedOnce.countDown();
                throw new IOException("Read-only file system");
            }
        };
        try (StateSaver saver = new StateSaver(writer, "test", this::snapshot, Duration.ofHours(1), LONG)) {
            current.set(state(1, false));
            assertThatThrownBy(saver::awaitDurable).hasMessage("test: Read-only file system");
            full.set(false);
            long start = System.nanoTime();
            saver.awaitDurable();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(StateSaver.FIRST_RETRY.dividedBy(2));
        }
    }

    @Test
    void bookkeepingWaitsTenTimesAsLongAsASaveTakesWithinBounds() {
        Duration five = Duration.ofSeconds(5);
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofMillis(20))).isEqualTo(five);
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(30));
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofMinutes(1)))
                .isEqualTo(StateSaver.MAX_BOOKKEEPING_DELAY);
        assertThat(StateSaver.bookkeepingDelay(Duration.ofMinutes(5), Duration.ofSeconds(3)))
                .as("a longer configured delay stays").isEqualTo(Duration.ofMinutes(5));
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofDays(200 * 365)))
                .as("ten times a save past what nanoseconds hold").isEqualTo(StateSaver.MAX_BOOKKEEPING_DELAY);
    }
}
