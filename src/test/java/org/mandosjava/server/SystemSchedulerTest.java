package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The real timer thread: due order, cancellation, periodic runs, failures and closing. */
class SystemSchedulerTest {
    private static final long WAIT_SECONDS = 30;

    @Test
    void runsEveryTimerNotBeforeItsDueTimeAndNeverACancelledOne() throws Exception {
        Random random = new Random(42);
        try (SystemScheduler scheduler = new SystemScheduler("test-timers")) {
            int timers = 3000;
            List<Scheduler.Cancellable> handles = new ArrayList<>();
            List<Integer> cancelled = new ArrayList<>();
            CountDownLatch kept = new CountDownLatch(timers / 2);
            AtomicInteger early = new AtomicInteger();
            AtomicInteger ranCancelled = new AtomicInteger();
            boolean[] cancel = new boolean[timers];
            for (int i = 0; i < timers / 2; i++) cancel[i] = true;
            // Shuffle which timers are cancelled among the delays.
            List<Boolean> shuffled = new ArrayList<>();
            for (boolean b : cancel) shuffled.add(b);
            Collections.shuffle(shuffled, random);
            for (int i = 0; i < timers; i++) {
                boolean willCancel = shuffled.get(i);
                // Cancelled ones are due later than the loop below takes to cancel them.
                long delayNanos = TimeUnit.MILLISECONDS.toNanos(willCancel ? 2000 + random.nextInt(2000)
                        : random.nextInt(200));
                long due = System.nanoTime() + delayNanos;
                handles.add(scheduler.schedule(Duration.ofNanos(delayNanos), () -> {
                    if (System.nanoTime() - due < 0) early.incrementAndGet();
                    if (willCancel) ranCancelled.incrementAndGet();
                    else kept.countDown();
                }));
                if (willCancel) cancelled.add(i);
            }
            for (int i : cancelled) handles.get(i).cancel();
            assertThat(kept.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // Nothing is left that could still run: the cancelled timers left the queue at once.
            assertThat(scheduler.pending()).isZero();
            assertThat(early.get()).isZero();
            assertThat(ranCancelled.get()).isZero();
        }
    }

    @Test
    void timersDueTogetherRunInTheOrderTheyWereScheduled() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler("test-timers")) {
            CountDownLatch hold = new CountDownLatch(1);
            // The first timer holds the thread, so that all the others are due when it lets go.
            scheduler.schedule(Duration.ZERO, () -> awaitQuietly(hold));
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                int n = i;
                scheduler.schedule(Duration.ZERO, () -> {
                    order.add(n);
                    done.countDown();
                });
            }
            hold.countDown();
            assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) expected.add(i);
            assertThat(order).isEqualTo(expected);
        }
    }

    @Test
    void aPeriodicTimerRepeatsUntilCancelledAndSurvivesItsOwnFailures() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler("test-timers")) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch five = new CountDownLatch(5);
            AtomicBoolean onTimerThread = new AtomicBoolean(true);
            Scheduler.Cancellable timer = scheduler.scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(5), () -> {
                runs.incrementAndGet();
                if (!scheduler.isTimerThread()) onTimerThread.set(false);
                five.countDown();
                throw new IllegalStateException("a failing check");
            });
            assertThat(five.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(onTimerThread).isTrue();
            assertThat(scheduler.isTimerThread()).isFalse();
            timer.cancel();
            timer.cancel(); // twice does nothing
            assertThat(scheduler.pending()).isZero();
            // Later timers still run after the failures.
            CountDownLatch after = new CountDownLatch(1);
            scheduler.schedule(Duration.ZERO, after::countDown);
            assertThat(after.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aPeriodicTimerCanCancelItselfWhileRunning() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler("test-timers")) {
            CountDownLatch ran = new CountDownLatch(1);
            Scheduler.Cancellable[] self = new Scheduler.Cancellable[1];
            CountDownLatch scheduled = new CountDownLatch(1);
            self[0] = scheduler.scheduleAtFixedRate(Duration.ZERO, Duration.ofHours(1), () -> {
                awaitQuietly(scheduled);
                self[0].cancel();
                ran.countDown();
            });
            scheduled.countDown();
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // The next run, planned an hour later, was taken off the queue by the cancel inside the run.
            assertThat(scheduler.pending()).isZero();
        }
    }

    @Test
    void farDelaysDoNotOverflowAndAClosedSchedulerRefuses() throws Exception {
        SystemScheduler scheduler = new SystemScheduler("test-timers");
        scheduler.schedule(Duration.ofDays(365L * 1_000_000), () -> {});
        scheduler.scheduleAtFixedRate(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE), () -> {});
        CountDownLatch soon = new CountDownLatch(1);
        scheduler.schedule(Duration.ofMillis(1), soon::countDown);
        scheduler.schedule(Duration.ofMillis(-5), () -> {}); // negative: at once
        assertThat(soon.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.pending()).isEqualTo(2);
        scheduler.close();
        assertThat(scheduler.pending()).isZero();
        assertThatThrownBy(() -> scheduler.schedule(Duration.ZERO, () -> {}))
                .isInstanceOf(RejectedExecutionException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
