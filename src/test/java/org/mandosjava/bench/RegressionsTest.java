package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionsTest {
    private static RunRecord run(String mode, Map<String, Double> figures) {
        return new RunRecord(Map.of("mode", mode, "date", "d"), figures);
    }

    @Test
    void geometricMeanDecidesAndSlowCellsAreNamed() {
        RunRecord before = run("full", Map.of("s1.c500.k500.n64.unlocks_per_s", 1000.0,
                "s1.c5000.k5000.n64.unlocks_per_s", 1000.0, "s1.c1.k1.n64.unlocks_per_s", 10.0));
        // one cell 10 % slower, one 6 % faster: mean about 97.6 %; the 1-client cell's load changed (k64)
        RunRecord now = run("full", Map.of("s1.c500.k500.n64.unlocks_per_s", 900.0,
                "s1.c5000.k5000.n64.unlocks_per_s", 1060.0, "s1.c1.k64.n64.unlocks_per_s", 900.0));
        Regressions.Row r = Regressions.evaluate(now, before, "base").get(0);
        assertThat(r.verdict()).isEqualTo("met");
        assertThat(r.measured()).contains("over 2 cells").contains("beyond 5 %: 500×64 90 %");
    }

    @Test
    void p99GrowingMoreThanFivePercentIsMissed() {
        RunRecord before = run("full", Map.of("s1.c50.k50.n16.p99_ms", 30.0));
        RunRecord now = run("full", Map.of("s1.c50.k50.n16.p99_ms", 33.0));
        assertThat(Regressions.evaluate(now, before, "base").get(1).verdict()).isEqualTo("**missed**");
    }

    @Test
    void approvalStormNeedsEveryoneAndTime() {
        RunRecord before = run("full", Map.of("s4.n2000.last_secret_s", 18.5, "s4.n2000.delivered", 2000.0));
        RunRecord fast = run("full", Map.of("s4.n2000.last_secret_s", 18.0, "s4.n2000.delivered", 2000.0));
        RunRecord lossy = run("full", Map.of("s4.n2000.last_secret_s", 18.0, "s4.n2000.delivered", 1999.0));
        assertThat(Regressions.evaluate(fast, before, "base").get(2).verdict()).isEqualTo("met");
        assertThat(Regressions.evaluate(lossy, before, "base").get(2).verdict()).isEqualTo("**missed**");
    }

    @Test
    void differentModesAreNotCompared() {
        List<Regressions.Row> rows = Regressions.evaluate(run("quick", Map.of()), run("full", Map.of()), "base");
        assertThat(rows).singleElement().extracting(Regressions.Row::verdict).isEqualTo("not evaluated");
    }
}
