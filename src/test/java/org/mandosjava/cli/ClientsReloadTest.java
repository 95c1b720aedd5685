package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigFileReader;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.SystemScheduler;
import org.mandosjava.testing.Poll;

/** SIGHUP reloads: one at a time, in order, requests during a reload joined into one more. */
class ClientsReloadTest {
    private static final long WAIT_SECONDS = 30;

    @TempDir Path tmp;
    SystemScheduler scheduler = new SystemScheduler();
    ClientRegistry registry;
    ClientsReload reload;

    @AfterEach
    void close() {
        if (reload != null) reload.close();
        if (registry != null) registry.close();
        scheduler.close();
    }

    @Test
    void requestsDuringAReloadCoalesceIntoOneMoreThatReadsTheNewestFile() throws Exception {
        Path file = tmp.resolve("clients.conf");
        Files.writeString(file, clients("a"));
        registry = new ClientRegistry(ClientsConf.load(file), scheduler, new CheckerRunner());
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        ConfigFileReader files = f -> {
            if (reads.incrementAndGet() == 1) {
                reading.countDown();
                try {
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Files.readAllBytes(f);
        };
        reload = new ClientsReload(file, registry, files);

        Files.writeString(file, clients("a", "b"));
        assertThat(reload.request()).isTrue();
        assertThat(reading.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        // The first reload has read its file; three more signals arrive while it runs.
        Files.writeString(file, clients("a", "b", "c"));
        assertThat(reload.request()).as("queued").isTrue();
        assertThat(reload.request()).as("joins the queued one").isFalse();
        assertThat(reload.request()).as("joins the queued one").isFalse();
        release.countDown();

        assertThat(Poll.until(() -> names().size() == 3, java.time.Duration.ofSeconds(WAIT_SECONDS))).isTrue();
        assertThat(names()).containsExactly("a", "b", "c");
        assertThat(reads.get()).as("clients.conf read once per reload, two reloads").isEqualTo(2);
    }

    @Test
    void aFailedReloadKeepsTheClients() throws Exception {
        Path file = tmp.resolve("clients.conf");
        Files.writeString(file, clients("a"));
        registry = new ClientRegistry(ClientsConf.load(file), scheduler, new CheckerRunner());
        reload = new ClientsReload(file, registry, f -> {
            throw new java.nio.file.AccessDeniedException(f.toString());
        });
        reload.reload();
        assertThat(names()).containsExactly("a");
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() {
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(org.mandosjava.config.ConfigException.class,
                () -> ClientsReload.decode(Path.of("c.conf"), new byte[] {'[', 'a', ']', '\n', 'x', '=', (byte) 0xff}));
        assertThat(e).hasMessageContaining("c.conf").hasMessageContaining("2").hasMessageContaining("not valid UTF-8");
    }

    private List<String> names() {
        return registry.statuses().stream().map(ClientStatus::name).toList();
    }

    private static String clients(String... names) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String name : names) {
            sb.append('[').append(name).append("]\nkey_id = ").append(String.valueOf((char) ('a' + i++)).repeat(64))
                    .append("\nsecret = c2VjcmV0\nchecker = true\n");
        }
        return sb.toString();
    }
}
