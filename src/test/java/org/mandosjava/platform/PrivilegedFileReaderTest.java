package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivilegedFileReaderTest {
    @TempDir Path tmp;

    @Test
    void aPlatformThreadReadsTheWholeFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("clients.conf"), "[a]\nsecret = x\n");
        assertThat(new String(PrivilegedFileReader.direct().readAllBytes(file), StandardCharsets.UTF_8))
                .isEqualTo("[a]\nsecret = x\n");
    }

    /**
     * Refused even where no capability is kept (not root), so that a caller on a virtual thread fails
     * in every test run, not only on a server started as root.
     */
    @Test
    void aVirtualThreadIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("clients.conf"), "");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                PrivilegedFileReader.direct().readAllBytes(file);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("platform threads");
    }
}
