package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    final AtomicLong nanos = new AtomicLong(1_000);
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Logger logger = Logger.getLogger("RateLimitedLogTest." + System.nanoTime());
    final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }
        @Override public void flush() { }
        @Override public void close() { }
    };
    RateLimitedLog log;

    @BeforeEach
    void setUp() {
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
        logger.setLevel(Level.ALL);
        log = new RateLimitedLog(logger, Duration.ofSeconds(10), 3, nanos::get);
    }

    @AfterEach
    void tearDown() {
        logger.removeHandler(capture);
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aBurstIsWrittenThenTheRestIsSummedUpAtTheEndOfTheInterval() {
        for (int i = 0; i < 1000; i++) log.log(Level.WARNING, "handshake failed", () -> "failed");
        assertThat(lines).containsExactly("WARNING failed", "WARNING failed", "WARNING failed");
        advance(Duration.ofSeconds(9));
        log.flush();
        assertThat(lines).hasSize(3);
        advance(Duration.ofSeconds(1));
        log.flush();
        assertThat(lines).hasSize(4).last().asString()
                .isEqualTo("WARNING In the last 10 s: 997 more 'handshake failed' lines not written");
        log.log(Level.WARNING, "handshake failed", () -> "again");
        assertThat(lines).last().asString().isEqualTo("WARNING again");
    }

    @Test
    void kindsHaveBurstsOfTheirOwn() {
        for (int i = 0; i < 5; i++) log.log(Level.INFO, "a", () -> "a");
        for (int i = 0; i < 5; i++) log.log(Level.INFO, "b", () -> "b");
        assertThat(lines).filteredOn(l -> l.endsWith("a")).hasSize(3);
        assertThat(lines).filteredOn(l -> l.endsWith("b")).hasSize(3);
    }

    @Test
    void countedEventsSayTheirFirstAtOnceAndCountsOncePerIntervalWhileTheyLast() {
        for (int i = 0; i < 500; i++) log.count("evicted", () -> "flood started");
        assertThat(lines).containsExactly("WARNING flood started");
        advance(Duration.ofSeconds(10));
        for (int i = 0; i < 200; i++) log.count("evicted", () -> "flood started");
        assertThat(lines).containsExactly("WARNING flood started", "WARNING In the last 10 s: 500 evicted");
        advance(Duration.ofSeconds(10));
        log.flush();
        advance(Duration.ofSeconds(10));
        log.flush();
        assertThat(lines).as("the flood went on without a new first line, then stopped: no empty summary")
                .containsExactly("WARNING flood started", "WARNING In the last 10 s: 500 evicted",
                        "WARNING In the last 10 s: 200 evicted");
        log.count("evicted", () -> "flood started");
        assertThat(lines).as("after a quiet interval a new flood is announced").last().asString()
                .isEqualTo("WARNING flood started");
    }

    @Test
    void aLevelThatIsOffCostsNothing() {
        logger.setLevel(Level.WARNING);
        for (int i = 0; i < 10; i++) log.log(Level.INFO, "TCP connection", () -> "TCP");
        advance(Duration.ofSeconds(10));
        log.flush();
        assertThat(lines).isEmpty();
    }
}
