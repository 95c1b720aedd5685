package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecordTest {
    @Test
    void jsonRoundTrip() {
        RunRecord r = new RunRecord(Map.of("mode", "full", "date", "2026-12-02T05:00:00Z", "load", "a \"quoted\" text"),
                Map.of("s1.c500.k500.n64.unlocks_per_s", 1166.5, "s4.n2000.delivered", 2000.0));
        RunRecord back = RunRecord.parse(r.toJson());
        assertThat(back).isEqualTo(r);
        assertThat(back.mode()).isEqualTo("full");
    }

    @Test
    void readsHandWrittenJson() {
        RunRecord r = RunRecord.parse("{\"mode\":\"quick\", \"s1.c1.k1.n1.p99_ms\" : 8.24,\n\"x\": -1e3}");
        assertThat(r.mode()).isEqualTo("quick");
        assertThat(r.figures()).containsEntry("s1.c1.k1.n1.p99_ms", 8.24).containsEntry("x", -1000.0);
    }

    @Test
    void theCommittedBaselineIsAFullRunWithEveryCell() throws Exception {
        RunRecord base = RunRecord.read(java.nio.file.Path.of("BENCHMARKS.json"));
        assertThat(base.mode()).isEqualTo("full");
        assertThat(base.figures().keySet().stream().filter(k -> k.endsWith(".unlocks_per_s"))).hasSize(16);
        // The run BENCHMARKS.md reports (its tables round these): 500 clients at 64, the approval storm.
        assertThat(base.figures().get("s1.c500.k500.n64.unlocks_per_s")).isCloseTo(2390.0, within(0.5));
        assertThat(base.figures().get("s4.n2000.last_secret_s")).isCloseTo(17.5, within(0.05));
    }

    @Test
    void cellKeyNamesConfiguredClients() {
        assertThat(RunRecord.cellKey(1, 64, 64)).isEqualTo("s1.c1.k64.n64");
    }
}
