package org.mandosjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our server's figures of one run, for the next run's regression check: a flat JSON object, a few
 * texts ({@code mode}, {@code date}, {@code load}) and numbers named by scenario and cell, e.g.
 * {@code s1.c500.k500.n64.unlocks_per_s} (scenario 1, row of 500 clients, 500 configured, concurrency 64).
 * A cell is compared only with the cell of the same name, so a cell whose load changed (more
 * clients configured) is not compared with the old one.
 */
record RunRecord(Map<String, String> texts, Map<String, Double> figures) {
    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"\\\\]+)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|-?[0-9][0-9.eE+-]*)");

    RunRecord {
        texts = new TreeMap<>(texts);
        figures = new TreeMap<>(figures);
    }

    String mode() {
        return texts.getOrDefault("mode", "?");
    }

    /** Scenario 1's, 4's and 8's figures of our server in this run. */
    static RunRecord of(Compare c, String mode, String date) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("mode", mode);
        texts.put("date", date);
        texts.put("load", "own keys per connection, own 127.0.x.y address per client");
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int count : c.plan().clientCounts()) {
            for (int conc : c.plan().concurrencies()) {
                Compare.Cell cell = c.cellOf("ours", count, conc);
                if (cell == null || cell.result() == null || cell.result().unlocks() == 0) continue;
                String key = cellKey(count, cell.configured(), conc);
                figures.put(key + ".unlocks_per_s", cell.perSecond());
                figures.put(key + ".p99_ms", cell.result().latency().p99() / 1e6);
                figures.put(key + ".cpu_ms_per_unlock", cell.cpuMsPerUnlock());
            }
        }
        Compare.StormFigures storm = c.stormOf("ours");
        if (storm != null && storm.result() != null) {
            String key = "s4.n" + c.plan().stormConnections();
            figures.put(key + ".delivered", (double) storm.result().unlocks());
            figures.put(key + ".failed", (double) storm.result().failureCount());
            figures.put(key + ".last_secret_s", storm.result().window().toNanos() / 1e9);
            if (storm.peaks() != null) figures.put(key + ".peak_rss_mb", storm.peaks().rssBytes() / 1048576.0);
        }
        OperationsCost ops = c.operationsCost();
        if (ops != null) {
            figures.put("s8.on_off_cpu_per_unlock_median", ops.medianOnOff(true));
            figures.put("s8.on_off_unlocks_per_s_median", ops.medianOnOff(false));
        }
        return new RunRecord(texts, figures);
    }

    static String cellKey(int count, int configured, int concurrency) {
        return "s1.c" + count + ".k" + configured + ".n" + concurrency;
    }

    String toJson() {
        List<String> entries = new ArrayList<>();
        texts.forEach((k, v) -> entries.add("  \"" + k + "\": \"" + v.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\""));
        figures.forEach((k, v) -> entries.add("  \"" + k + "\": " + (Double.isFinite(v) ? Double.toString(v) : "0")));
        return "{\n" + String.join(",\n", entries) + "\n}\n";
    }

    static RunRecord parse(String json) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Double> figures = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            if (m.group(3) != null) texts.put(m.group(1), m.group(3).replace("\\\"", "\"").replace("\\\\", "\\"));
            else figures.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return new RunRecord(texts, figures);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    static RunRecord read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }
}
