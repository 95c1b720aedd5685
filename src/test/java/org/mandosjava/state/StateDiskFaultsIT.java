package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.LogCapture;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.SmallTmpfs;

/**
 * The saver on a real file system that fills up or turns read-only (a tmpfs of the test's own; needs
 * root): the waiting caller gets the kernel's reason, the saver retries by itself and says when it
 * works again, and the state on disk is then the latest.
 */
class StateDiskFaultsIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final AtomicReference<SavedState> current = new AtomicReference<>();

    @BeforeEach
    void needsRoot() {
        SmallTmpfs.require();
    }

    private static SavedState onDisk(StateStore store) throws Exception {
        return store.load(StateStoreTest.SECRETS).orElseThrow().state();
    }

    private StateSaver saver(StateStore store) {
        return new StateSaver(store, current::get, StateStoreTest.SECRETS, Duration.ofHours(1));
    }

    @Test
    void aFullFileSystemIsTheCallersErrorUntilSpaceIsFreed() throws Exception {
        try (SmallTmpfs fs = SmallTmpfs.mount(tmp.resolve("mnt"), 256);
                LogCapture log = new LogCapture(StateSaver.class)) {
            StateStore store = StateStore.prepare(fs.path().resolve("state"));
            try (StateSaver saver = saver(store)) {
                current.set(StateSaverTest.state(1, true));
                saver.awaitDurable();
                fs.fill();
                current.set(StateSaverTest.state(2, false));
                assertThatThrownBy(saver::awaitDurable).isInstanceOf(IOException.class)
                        .hasMessageContaining("No space left on device");
                assertThat(onDisk(store)).as("the previous state is intact").isEqualTo(StateSaverTest.state(1, true));
                assertThat(log.severe()).singleElement().asString()
                        .contains("Could not save state to " + store.currentFile() + ": ", "No space left on device");

                fs.free();
                assertThat(Poll.until(() -> !log.warnings().isEmpty(), LONG)).as("retried by itself").isTrue();
                assertThat(log.warnings()).containsExactly("State saved to " + store.currentFile() + " again");
                assertThat(onDisk(store)).isEqualTo(StateSaverTest.state(2, false));
            }
        }
    }

    @Test
    void aReadOnlyFileSystemIsTheCallersErrorUntilItIsWritableAgain() throws Exception {
        try (SmallTmpfs fs = SmallTmpfs.mount(tmp.resolve("mnt"), 1024);
                LogCapture log = new LogCapture(StateSaver.class)) {
            StateStore store = StateStore.prepare(fs.path().resolve("state"));
            try (StateSaver saver = saver(store)) {
                current.set(StateSaverTest.state(1, true));
                saver.awaitDurable();
                fs.remountReadOnly();
                current.set(StateSaverTest.state(2, false));
                assertThatThrownBy(saver::awaitDurable).isInstanceOf(IOException.class)
                        .hasMessageContaining("Read-only file system");
                fs.remountReadWrite();
                assertThat(Poll.until(() -> !log.warnings().isEmpty(), LONG)).as("retried by itself").isTrue();
                assertThat(onDisk(store)).isEqualTo(StateSaverTest.state(2, false));
            } finally {
                fs.remountReadWrite();  // umount works either way; a clean state for the next test
            }
        }
    }
}
