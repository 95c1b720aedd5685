package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifelineTest {
    @Test
    void whileThePipeIsOpenNothingHappensAndItsEndStopsOnce() throws Exception {
        PipedOutputStream other = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(other);
        AtomicInteger ended = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Thread watcher = Lifeline.watch(in, () -> {
            ended.incrementAndGet();
            done.countDown();
        });
        other.write("whatever comes is read and dropped".getBytes());
        other.flush();
        assertThat(done.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(watcher.isAlive()).isTrue();
        assertThat(watcher.isDaemon()).as("it must not keep the JVM up").isTrue();
        other.close();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(watcher.join(Duration.ofSeconds(10))).isTrue();
        assertThat(ended).hasValue(1);
    }

    @Test
    void aBrokenInputIsAnEndToo() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        InputStream broken = new InputStream() {
            @Override public int read() throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Lifeline.watch(broken, done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void onlyTheTrainingsOptionGivesALifeline() {
        assertThat(Lifeline.option()).isEqualTo("-Dmandos.lifeline=stdin");
        String was = System.getProperty(Lifeline.PROPERTY);
        try {
            System.clearProperty(Lifeline.PROPERTY);
            assertThat(Lifeline.wanted()).isFalse();
            System.setProperty(Lifeline.PROPERTY, "yes");
            assertThat(Lifeline.wanted()).isFalse();
            System.setProperty(Lifeline.PROPERTY, "stdin");
            assertThat(Lifeline.wanted()).isTrue();
        } finally {
            if (was == null) System.clearProperty(Lifeline.PROPERTY);
            else System.setProperty(Lifeline.PROPERTY, was);
        }
    }
}
