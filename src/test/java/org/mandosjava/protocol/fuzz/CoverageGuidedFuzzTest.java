package org.mandosjava.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.condition.EnabledIf;
import org.mandosjava.protocol.VersionLine;
import org.mandosjava.protocol.fuzz.Exchange.Outcome;
import org.mandosjava.protocol.fuzz.Exchange.Side;

/**
 * Coverage-guided fuzzing (Jazzer) of the byte streams a peer sends to each of our sides. In a normal
 * test run each method replays its seeds from {@code src/test/resources/.../CoverageGuidedFuzzTestInputs/}
 * (recorded honest streams); with {@code JAZZER_FUZZ=1} Jazzer mutates them guided by the branches
 * they reach ({@code bin/fuzz --jazzer}). The oracle is {@link Oracle}'s.
 *
 * <p>Only with {@code JAZZER_FUZZ} set or {@code -Dmandos.fuzz.jazzer=true}: Jazzer's agent costs tens of
 * seconds of start-up, which the normal build spends on {@link HostilePeerFuzzTest} instead.
 */
@EnabledIf("jazzerWanted")
class CoverageGuidedFuzzTest {
    private static final Exchange EXCHANGE = new Exchange(new byte[1000]);

    static boolean jazzerWanted() {
        return System.getenv("JAZZER_FUZZ") != null || Boolean.getBoolean("mandos.fuzz.jazzer");
    }

    @FuzzTest(maxDuration = "60s")
    void versionLine(byte[] input) {
        try {
            VersionLine.check(VersionLine.read(new ByteArrayInputStream(input)));
        } catch (IOException e) {
            assertThat(Oracle.violation(e)).isNull();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void serverReadsClientStream(byte[] input) throws IOException {
        check(EXCHANGE.replay(Side.SERVER, input, Mutation.Then.CLOSE, false), Side.SERVER);
    }

    @FuzzTest(maxDuration = "60s")
    void clientReadsServerStream(byte[] input) throws IOException {
        check(EXCHANGE.replay(Side.CLIENT, input, Mutation.Then.CLOSE, false), Side.CLIENT);
    }

    private static void check(Outcome outcome, Side side) {
        assertThat(outcome.hung()).as("hung: %s", outcome.leftBehind()).isFalse();
        assertThat(Oracle.violation(outcome.thrown())).as("oracle").isNull();
        if (outcome.thrown() == null) assertThat(outcome.result()).isEqualTo(EXCHANGE.honestResult(side));
    }
}
