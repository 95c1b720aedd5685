package org.mandosjava.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.fuzz.Campaign.Target;

/**
 * 100,000 hostile inputs cost nothing lasting: after them the JVM has no more threads, file
 * descriptors or live heap than after a warm-up, within a stated tolerance. The inputs are the cheap
 * ones, a mutated version line and first record against our server (each through the version line
 * check and, when it passes, a TLS handshake attempt); the long run ({@code bin/fuzz}) repeats this
 * check over all targets.
 */
class FuzzResourceGrowthTest {
    static final int INPUTS = Integer.getInteger("mandos.fuzz.growthInputs", 100_000);
    static final int WARM_UP = 2_000;
    /** Threads come and go in the JVM (JIT, GC helpers, the test framework): a few, not one per input. */
    static final int THREAD_TOLERANCE = 3;
    /** File descriptors likewise (a jar opened for class loading); one per thousand inputs would show. */
    static final int FD_TOLERANCE = 5;
    /** Live heap after full GCs: a leak of even 100 bytes per input is 10 MB. */
    static final long HEAP_TOLERANCE = 8L << 20;

    @Test
    void hundredThousandInputsLeaveNothingBehind() throws IOException {
        long seed = Long.getLong("mandos.fuzz.seed", new SecureRandom().nextLong());
        Campaign campaign = new Campaign(new Exchange(new byte[1000]), seed);
        campaign.run(Target.SERVER_FIRST_RECORD, WARM_UP, java.time.Duration.ofMinutes(5));
        ResourceUse before = ResourceUse.now();
        long started = System.nanoTime();
        for (long i = WARM_UP; i < WARM_UP + INPUTS; i++) campaign.one(Target.SERVER_FIRST_RECORD, i);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        ResourceUse after = ResourceUse.now();
        System.out.printf("%d inputs in %d s, seed %d: before %s; after %s; outcomes %s%n", INPUTS, seconds, seed,
                before, after, campaign.outcomes(Target.SERVER_FIRST_RECORD));

        assertThat(campaign.findings()).as("findings").isEmpty();
        assertThat(after.threads()).as("threads").isLessThanOrEqualTo(before.threads() + THREAD_TOLERANCE);
        assertThat(after.fileDescriptors()).as("open file descriptors")
                .isLessThanOrEqualTo(before.fileDescriptors() + FD_TOLERANCE);
        assertThat(after.heapBytes()).as("live heap bytes").isLessThanOrEqualTo(before.heapBytes() + HEAP_TOLERANCE);
    }
}
