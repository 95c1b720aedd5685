package org.mandosjava.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.fuzz.Campaign.Target;

/**
 * Structure-aware fuzzing of everything a peer controls, on both our sides of the protocol: see
 * {@link Campaign.Target} for the inputs and {@link Oracle} for what may happen. A short run in the
 * normal build; {@code bin/fuzz --minutes N} runs the same campaigns longer with a fresh seed.
 *
 * <p>Properties: {@code mandos.fuzz.seconds} per target (default 2), {@code mandos.fuzz.seed}
 * (default random, printed, and named in every finding to reproduce it).
 */
class HostilePeerFuzzTest {
    private static final Duration BUDGET = Duration.ofMillis(
            (long) (Double.parseDouble(System.getProperty("mandos.fuzz.seconds", "2")) * 1000));
    private static final long SEED = Long.getLong("mandos.fuzz.seed", new SecureRandom().nextLong());

    /** Threads: JIT compiler threads and virtual-thread carriers start on demand, a few at most. */
    private static final int THREAD_TOLERANCE = 8;
    private static final int FD_TOLERANCE = 5;
    private static final long HEAP_TOLERANCE = 16L << 20;

    private static Campaign campaign;
    private static ResourceUse before;

    @BeforeAll
    static void recordHonestExchange() throws IOException {
        byte[] secret = new byte[1500];
        new SecureRandom().nextBytes(secret);
        campaign = new Campaign(new Exchange(secret), SEED);
        before = ResourceUse.now();
    }

    /** However long the run, hostile peers leave nothing behind (the long run is {@code bin/fuzz}). */
    @AfterAll
    static void nothingGrew() throws IOException {
        ResourceUse after = ResourceUse.now();
        System.out.printf("%d inputs; before %s; after %s%n", campaign.inputs(), before, after);
        assertThat(after.threads()).as("threads").isLessThanOrEqualTo(before.threads() + THREAD_TOLERANCE);
        assertThat(after.fileDescriptors()).as("open file descriptors")
                .isLessThanOrEqualTo(before.fileDescriptors() + FD_TOLERANCE);
        assertThat(after.heapBytes()).as("live heap bytes").isLessThanOrEqualTo(before.heapBytes() + HEAP_TOLERANCE);
    }

    @Test
    void serverFirstRecord() throws IOException {
        fuzz(Target.SERVER_FIRST_RECORD);
    }

    @Test
    void serverReplayedClientStream() throws IOException {
        fuzz(Target.SERVER_REPLAY);
    }

    @Test
    void clientReplayedServerStream() throws IOException {
        fuzz(Target.CLIENT_REPLAY);
    }

    @Test
    void serverAgainstMutatedLiveClient() throws IOException {
        fuzz(Target.SERVER_LIVE);
    }

    @Test
    void clientAgainstMutatedLiveServer() throws IOException {
        fuzz(Target.CLIENT_LIVE);
    }

    @Test
    void serverAgainstClientWithHostileKeyAndSignature() throws IOException {
        fuzz(Target.SERVER_HOSTILE_CLIENT);
    }

    @Test
    void clientAgainstServerMisbehavingAfterTheHandshake() throws IOException {
        fuzz(Target.CLIENT_HOSTILE_SERVER);
    }

    private static void fuzz(Target target) throws IOException {
        long before = campaign.inputs();
        campaign.run(target, Long.MAX_VALUE, BUDGET);
        long ran = campaign.inputs() - before;
        System.out.printf("%s: %d inputs in %s, seed %d; outcomes: %s%n", target, ran, BUDGET, SEED,
                campaign.outcomes(target));
        if (Boolean.getBoolean("mandos.fuzz.verbose")) {
            campaign.examples().forEach((label, example) -> {
                if (label.startsWith(target + " ")) System.out.println(label + ": " + example);
            });
        }
        assertThat(ran).as("inputs run").isPositive();
        assertThat(campaign.findings()).as("findings (each names its seed and input)").isEmpty();
    }
}
