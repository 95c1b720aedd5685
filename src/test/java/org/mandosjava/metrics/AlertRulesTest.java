package org.mandosjava.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Peers;

/** The shipped alerting rules: valid for the real promtool, and about metrics the server has. */
class AlertRulesTest {
    static final Path RULES = Path.of("packaging/prometheus/mandos-java.rules.yml");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Peers.require(PROMTOOL, "prometheus");
        CommandResult r = CommandResult.run(List.of(PROMTOOL.toString(), "check", "rules", RULES.toString()),
                Duration.ofSeconds(60), Map.of());
        assertThat(r.exitStatus()).as(r.toString()).isZero();
        assertThat(r.stdoutText()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void everyMetricARuleNamesIsOneWeServe() throws Exception {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(mandos_[a-z_]+)").matcher(Files.readString(RULES));
        while (m.find()) named.add(m.group(1));
        named.remove("mandos_java"); // the group's name

        MetricsServer metrics = new MetricsServer();
        try {
            metrics.gauge("mandos_connections_open", "open", () -> 0);
            metrics.auditRecords(() -> 0, () -> 0);
            metrics.admission(() -> 0, () -> 0, () -> 0);
            new ClientGauges(List::of, java.time.Clock.systemUTC()).register(metrics.registry(), true);
            Set<String> served = new TreeSet<>();
            metrics.registry().scrape().forEach(s -> served.add(s.getMetadata().getPrometheusName()));
            Set<String> servedNames = new TreeSet<>();
            for (String n : served) {
                servedNames.add(n);
                servedNames.add(n + "_total");
            }
            assertThat(servedNames).containsAll(named);
        } finally {
            metrics.close();
        }
    }
}
