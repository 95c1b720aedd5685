package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SIGHUP reloads: one at a time, in order, requests during a reload joined into one more. */
class ReloadRequestsTest {
    private static final long WAIT_SECONDS = 30;

    @Test
    void requestsDuringAReloadJoinIntoOneMoreAfterIt() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger version = new AtomicInteger(1);
        ReloadRequests requests = new ReloadRequests(() -> {
            assertThat(running.incrementAndGet()).as("one reload at a time").isEqualTo(1);
            seen.add("v" + version.get());
            if (seen.size() == 1) {
                firstRunning.countDown();
                await(release);
            } else {
                secondDone.countDown();
            }
            running.decrementAndGet();
        });

        assertThat(requests.request()).isTrue();
        assertThat(firstRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        version.set(2); // the file changes while the first reload runs
        assertThat(requests.request()).as("queued").isTrue();
        assertThat(requests.request()).as("joins the queued one").isFalse();
        assertThat(requests.request()).as("joins the queued one").isFalse();
        release.countDown();

        assertThat(secondDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("v1", "v2");
        // Nothing was left queued: the next request starts a reload of its own.
        assertThat(requests.request()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
