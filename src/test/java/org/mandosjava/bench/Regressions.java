package org.mandosjava.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This run's figures of our server against a previous run's ({@link RunRecord}): throughput and p99
 * of scenario 1 and the approval storm may not be more than 5 % worse. Throughput and p99 are judged
 * on the geometric mean of the ratios over the cells both runs measured with the same load (one cell
 * alone moves more than 5 % between two runs on a shared machine); the cells beyond 5 % are named.
 */
final class Regressions {
    static final double ALLOWED = 0.05;

    /** One line of the targets table. */
    record Row(String target, String measured, String verdict) {}

    private Regressions() {}

    static List<Row> evaluate(RunRecord now, RunRecord before, String baselineName) {
        List<Row> rows = new ArrayList<>();
        String against = " (vs " + baselineName + ", " + before.texts().getOrDefault("date", "undated") + ")";
        if (!now.mode().equals(before.mode())) {
            rows.add(new Row("no regression > 5 % in throughput, p99, approval storm", "the baseline is a "
                    + before.mode() + " run, this a " + now.mode() + " run" + against, "not evaluated"));
            return rows;
        }
        rows.add(cells("throughput (scenario 1 unlocks/s) ≥ 95 % of the previous run's", now, before,
                ".unlocks_per_s", true, against));
        rows.add(cells("p99 (scenario 1) ≤ 105 % of the previous run's", now, before, ".p99_ms", false, against));
        rows.add(storm(now, before, against));
        return rows;
    }

    private static Row cells(String target, RunRecord now, RunRecord before, String suffix, boolean higherIsBetter,
            String against) {
        double logSum = 0;
        int n = 0;
        List<String> beyond = new ArrayList<>();
        for (Map.Entry<String, Double> e : now.figures().entrySet()) {
            if (!e.getKey().startsWith("s1.") || !e.getKey().endsWith(suffix)) continue;
            Double old = before.figures().get(e.getKey());
            if (old == null || old <= 0 || e.getValue() <= 0) continue;
            double ratio = e.getValue() / old;
            logSum += Math.log(ratio);
            n++;
            if (higherIsBetter ? ratio < 1 - ALLOWED : ratio > 1 + ALLOWED) {
                beyond.add(cellName(e.getKey(), suffix) + " " + pct(ratio));
            }
        }
        if (n == 0) return new Row(target, "no cell measured with the same load in both runs" + against,
                "not evaluated");
        double mean = Math.exp(logSum / n);
        boolean met = higherIsBetter ? mean >= 1 - ALLOWED : mean <= 1 + ALLOWED;
        String detail = "geometric mean " + pct(mean) + " over " + n + " cells" + against
                + (beyond.isEmpty() ? "" : "; beyond 5 %: " + String.join(", ", beyond));
        return new Row(target, detail, met ? "met" : "**missed**");
    }

    private static Row storm(RunRecord now, RunRecord before, String against) {
        String target = "approval storm: all delivered, time to last secret ≤ 105 % of the previous run's";
        String key = now.figures().keySet().stream().filter(k -> k.startsWith("s4.") && k.endsWith(".last_secret_s"))
                .findFirst().orElse(null);
        if (key == null || !before.figures().containsKey(key)) {
            return new Row(target, "no approval storm of the same size in both runs" + against, "not evaluated");
        }
        String prefix = key.substring(0, key.length() - ".last_secret_s".length());
        double ratio = now.figures().get(key) / before.figures().get(key);
        double delivered = now.figures().getOrDefault(prefix + ".delivered", 0.0);
        double deliveredBefore = before.figures().getOrDefault(prefix + ".delivered", 0.0);
        boolean met = ratio <= 1 + ALLOWED && delivered >= deliveredBefore;
        return new Row(target, String.format(Locale.ROOT, "%s vs %s s (%s), %d vs %d delivered",
                Table.num(now.figures().get(key)), Table.num(before.figures().get(key)), pct(ratio),
                (long) delivered, (long) deliveredBefore) + against, met ? "met" : "**missed**");
    }

    /** "c500 k500 n64" as "500 clients, conc 64" (with "as N" where more were configured). */
    private static String cellName(String key, String suffix) {
        String[] parts = key.substring(3, key.length() - suffix.length()).split("\\.");
        String count = parts[0].substring(1);
        String configured = parts[1].substring(1);
        return (count.equals(configured) ? count : count + "→" + configured) + "×" + parts[2].substring(1);
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }
}
