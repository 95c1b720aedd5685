package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mandosjava.testing.LogCapture;

class SignalQueueTest {
    /** What the queue's thread sent, in order. */
    private final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Held closed, it stands for a bus daemon that stopped reading: the sending thread waits on it. */
    private final CountDownLatch bus = new CountDownLatch(1);
    private final AtomicLong clock = new AtomicLong();

    private SignalQueue queue() {
        return new SignalQueue((client, properties) -> sent.add(client + " " + new java.util.TreeSet<>(properties)),
                clock::get);
    }

    private Runnable send(String what) {
        return () -> sent.add(what);
    }

    /** A job that stalls the sending thread until {@link #bus} opens. */
    private Runnable stall() {
        return () -> {
            try {
                bus.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void signalsAreSentInTheOrderTheyCame() throws Exception {
        try (SignalQueue queue = queue()) {
            queue.start();
            queue.always(send("added alpha"));
            queue.changes("alpha", Set.of("Expires"));
            queue.signal(send("GotSecret alpha"));
            queue.always(send("removed alpha"));
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).containsExactly("added alpha", "alpha [Expires]", "GotSecret alpha", "removed alpha");
            assertThat(queue.backlog()).isZero();
        }
    }

    @Test
    void changesWaitingForTheBusAreMergedPerClientInTheirFirstPlace() throws Exception {
        try (SignalQueue queue = queue()) {
            queue.always(stall());
            queue.start();
            queue.changes("alpha", Set.of("Expires"));
            queue.signal(send("GotSecret alpha"));
            queue.changes("beta", Set.of("Enabled"));
            queue.changes("alpha", Set.of("LastCheckedOK", "Expires"));
            queue.changes("alpha", Set.of("Expires"));
            assertThat(queue.backlog()).isEqualTo(4); // the stall, alpha's changes, GotSecret, beta's changes
            bus.countDown();
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).containsExactly("alpha [Expires, LastCheckedOK]", "GotSecret alpha", "beta [Enabled]");
            // Once sent, a client's next change waits on its own again.
            queue.changes("alpha", Set.of("Expires"));
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).last().isEqualTo("alpha [Expires]");
        }
    }

    @Test
    void aStalledBusCostsTheSignalsBeyondTheLimitNotTheCallersTimeAndSaysSo() throws Exception {
        try (LogCapture log = new LogCapture(SignalQueue.class); SignalQueue queue = queue()) {
            queue.always(stall());
            queue.start();
            long start = System.nanoTime();
            int offered = SignalQueue.MAX_PENDING_SIGNALS + 5000;
            for (int i = 0; i < offered; i++) queue.signal(send("ClientNotFound " + i));
            // Announcements and property changes are bounded by the clients, so never dropped.
            queue.always(send("added gamma"));
            queue.changes("gamma", Set.of("Enabled"));
            assertThat(System.nanoTime() - start).as("callers never wait for the bus")
                    .isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(queue.dropped()).isEqualTo(5000);
            assertThat(log.warnings()).singleElement().asString()
                    .contains("not taking our signals fast enough", "1 signal dropped (1 in all)");

            // Further drops within the minute are counted, not logged; after it, one line says how many.
            clock.addAndGet(Duration.ofMinutes(1).toNanos());
            queue.signal(send("one more"));
            assertThat(log.warnings()).hasSize(2).last().asString().contains("5000 signals dropped (5001 in all)");

            assertThat(queue.awaitSent(Duration.ZERO)).as("nothing sent while the bus is stalled").isFalse();
            bus.countDown();
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).hasSize(SignalQueue.MAX_PENDING_SIGNALS + 2)
                    .startsWith("ClientNotFound 0", "ClientNotFound 1")
                    .endsWith("ClientNotFound " + (SignalQueue.MAX_PENDING_SIGNALS - 1), "added gamma", "gamma [Enabled]");
        }
    }

    @Test
    void aCountWaitingIsNotQueuedAgain() throws Exception {
        try (SignalQueue queue = queue()) {
            queue.always(stall());
            queue.start();
            queue.announcement("alpha", send("added alpha"));
            queue.once("count", send("count"));
            queue.announcement("beta", send("added beta"));
            queue.once("count", send("count again"));
            bus.countDown();
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).containsExactly("added alpha", "count", "added beta");
            queue.once("count", send("count once sent"));
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).last().isEqualTo("count once sent");
        }
    }

    @Test
    void anAnnouncementTakenBackBeforeTheBusGotItIsNotSent() throws Exception {
        try (SignalQueue queue = queue()) {
            queue.always(stall());
            queue.start();
            queue.announcement("alpha", send("added alpha"));
            queue.announcement("beta", send("added beta"));
            assertThat(queue.forgetAnnouncement("alpha")).isTrue();
            assertThat(queue.forgetAnnouncement("alpha")).as("once").isFalse();
            bus.countDown();
            assertThat(queue.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThat(sent).containsExactly("added beta");
            assertThat(queue.forgetAnnouncement("beta")).as("sent already: its withdrawal is due").isFalse();
        }
    }

    @Test
    void waitingForTheSignalsToBeSentEndsAtItsLimitAndClosingDiscardsTheRest() throws Exception {
        SignalQueue queue = new SignalQueue((c, p) -> sent.add(c), System::nanoTime);
        queue.always(stall());
        queue.always(send("withdrawn alpha"));
        queue.start();
        long start = System.nanoTime();
        assertThat(queue.awaitSent(Duration.ofMillis(200))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(queue.backlog()).isEqualTo(2);
        queue.close();
        queue.signal(send("after close"));
        queue.changes("alpha", Set.of("Enabled"));
        assertThat(queue.backlog()).as("the stalled send is still in progress").isEqualTo(1);
        bus.countDown();
        assertThat(queue.awaitSent(Duration.ofSeconds(1))).as("a closed queue sends nothing more").isFalse();
        assertThat(sent).isEmpty();
    }
}
