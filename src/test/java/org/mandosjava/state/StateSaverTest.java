package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateSaverTest {
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
    void saveNowIsOnDiskWhenItReturns() throws Exception {
        StateStore store = StateStore.prepare(tmp.resolve("s"));
        try (StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofHours(1))) {
            current.set(state(1, false));
            saver.saveNow();
            assertThat(onDisk(store)).isEqualTo(state(1, false));
        }
    }

    @Test
    void saveSoonCoalescesManyChangesIntoFewWritesOfTheLatestState() throws Exception {
        StateStore store = StateStore.prepare(tmp.resolve("s"));
        try (StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofMillis(500))) {
            for (int i = 0; i < 1000; i++) {
                current.set(state(i, i % 2 == 0));
                saver.saveSoon();
            }
            Instant deadline = Instant.now().plusSeconds(30);
            while (!Files.exists(store.currentFile()) && Instant.now().isBefore(deadline)) Thread.sleep(20);
            assertThat(onDisk(store)).isEqualTo(state(999, false));
            assertThat(snapshots.get()).isBetween(1, 3);
        }
    }

    @Test
    void closeWritesTheFinalState() throws Exception {
        StateStore store = StateStore.prepare(tmp.resolve("s"));
        StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofHours(1));
        current.set(state(1, true));
        saver.saveSoon();
        current.set(state(2, false));
        saver.close();
        assertThat(onDisk(store)).isEqualTo(state(2, false));
        saver.saveSoon();  // after close: ignored, not thrown
    }

    @Test
    void aFailingDelayedSaveIsRetried() throws Exception {
        Path dir = tmp.resolve("s");
        StateStore store = StateStore.prepare(dir);
        Files.delete(dir);  // the next save fails: no directory
        try (StateSaver saver = new StateSaver(store, this::snapshot, StateStoreTest.SECRETS, Duration.ofMillis(50))) {
            current.set(state(1, false));
            saver.saveSoon();
            Instant deadline = Instant.now().plusSeconds(30);
            while (snapshots.get() < 2 && Instant.now().isBefore(deadline)) Thread.sleep(20);
            assertThat(snapshots.get()).as("retried").isGreaterThanOrEqualTo(2);
            StateStore.prepare(dir);
            deadline = Instant.now().plusSeconds(30);
            while (!Files.exists(store.currentFile()) && Instant.now().isBefore(deadline)) Thread.sleep(20);
            assertThat(onDisk(store)).isEqualTo(state(1, false));
        }
    }

    @Test
    void bookkeepingWaitsTenTimesAsLongAsASaveTakesWithinBounds() {
        Duration five = Duration.ofSeconds(5);
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofMillis(20))).isEqualTo(five);
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(30));
        assertThat(StateSaver.bookkeepingDelay(five, Duration.ofMinutes(1))).isEqualTo(StateSaver.MAX_BOOKKEEPING_DELAY);
        assertThat(StateSaver.bookkeepingDelay(Duration.ofMinutes(5), Duration.ofSeconds(3)))
                .as("a longer configured delay stays").isEqualTo(Duration.ofMinutes(5));
    }
}
