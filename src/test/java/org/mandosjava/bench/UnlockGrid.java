package org.mandosjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario 1, unlocks: configured clients × concurrency, each server (ours, Python's, the floor)
 * started per client count and measured cell by cell in a closed loop; the table with the ratios.
 */
final class UnlockGrid {
    private final Compare compare;
    private final Plan plan;
    private final List<Servers.Kind> kinds;
    private final List<BenchClient> clients;
    private final Path runDir;
    private final SecureRandom random;
    private final PrintStream progress;
    private final String floorProblem;
    /** Cells per server label, keyed "clients/concurrency". */
    private final Map<String, Map<String, Compare.Cell>> cells = new HashMap<>();

    UnlockGrid(Compare compare, Plan plan, List<Servers.Kind> kinds, List<BenchClient> clients, Path runDir,
            SecureRandom random, PrintStream progress, String floorProblem) {
        this.compare = compare;
        this.plan = plan;
        this.kinds = kinds;
        this.clients = clients;
        this.runDir = runDir;
        this.random = random;
        this.progress = progress;
        this.floorProblem = floorProblem;
    }

    /**
     * Each cell runs with at least as many clients configured as it has connections, each connection
     * with keys of its own (a rack is many machines): a row of fewer clients than its concurrency runs
     * on a server started with as many clients as connections instead, and says so.
     */
    static int configuredFor(int count, int concurrency) {
        return Math.max(count, concurrency);
    }

    String run() throws IOException, InterruptedException {
        StringBuilder report = new StringBuilder();
        for (int count : plan.clientCounts()) {
            Map<Integer, List<Integer>> byConfigured = new TreeMap<>();
            for (int c : plan.concurrencies()) {
                byConfigured.computeIfAbsent(configuredFor(count, c), k -> new ArrayList<>()).add(c);
            }
            for (var group : byConfigured.entrySet()) {
                int configured = group.getKey();
                String tag = "s1-" + count + (configured == count ? "" : "-as-" + configured);
                Path config = runDir.resolve(tag);
                new ClientsConfWriter().write(config, clients.subList(0, configured), 0, null, random);
                for (Servers.Kind kind : kinds) {
                    unlockCells(kind, count, configured, group.getValue(), config, tag);
                }
            }
        }
        Table t = new Table("clients", "conc", "unlocks/s ours", "python", "ratio", "p50/p90/p99 ms ours",
                "python", "max ms ours", "python", "CPU ms/unlock ours", "of it JIT", "python", "ratio",
                "failed (abandoned) ours", "python", "peak PSS MB ours", "python",
                "unlocks/s floor", "ours/floor", "p99 ms floor", "CPU ms/unlock floor", "ours/floor", "PSS MB floor");
        List<String> notes = new ArrayList<>();
        for (int count : plan.clientCounts()) {
            for (int c : plan.concurrencies()) {
                Compare.Cell o = cellOf("ours", count, c);
                Compare.Cell p = cellOf("python", count, c);
                Compare.Cell f = cellOf("floor", count, c);
                t.row(rowLabel(count, c), Integer.toString(c),
                        rate(o), rate(p), rateRatio(o, p),
                        percentiles(o), percentiles(p), maxMs(o), maxMs(p),
                        cpu(o), jit(o), cpu(p), Table.ratio(cpuValue(o), cpuValue(p)),
                        failures(o), failures(p), mem(o), mem(p),
                        rate(f), Table.ratio(rateValue(o), rateValue(f)), p99(f),
                        cpu(f), Table.ratio(cpuValue(o), cpuValue(f)), mem(f));
                for (String label : List.of("ours", "python", "floor")) {
                    Compare.Cell x = cellOf(label, count, c);
                    if (x != null && x.result() != null && !x.result().failures().isEmpty()) {
                        notes.add(label + ", " + count + " clients, concurrency " + c + ": " + x.result().failures());
                    }
                    if (x != null && x.note() != null) notes.add(label + ", " + count + " clients, concurrency " + c
                            + ": " + x.note());
                }
            }
        }
        report.append("## 1. Unlocks: configured clients × concurrency\n\n")
                .append("Closed loop for ").append(plan.cell().toSeconds()).append(" s per cell after a ")
                .append(plan.warmup().toSeconds()).append(" s warm-up at concurrency ").append(Compare.WARMUP_CONCURRENCY)
                .append("; every connection has keys of its own and every client its own source address in ")
                .append("127.0.x.y, so a row with fewer clients than connections runs with as many clients as ")
                .append("connections (`1→64`: 64 configured; the floor server serves every configured client's ")
                .append("secret from its table, so it gets the same keys); latency = connect to EOF of the secret. ")
                .append("CPU = server process tree from /proc over the cell; of it JIT = our server's C1 and C2 ")
                .append("compiler threads over the cell (a fresh JVM compiles its TLS path for the first 20 s or so ")
                .append("of a storm; the floor server and Python have no such cost). Connections still open when the window ")
                .append("closes are cut and counted as abandoned, not failed. A cell is extended until ")
                .append(Compare.MIN_UNLOCKS).append(" unlocks arrived, up to ").append(plan.cellCap().toSeconds())
                .append(" s: a server that unlocked nothing by then shows `<1/window`, and the ratio is a lower ")
                .append("bound. PSS = proportional set size summed over the server's process tree (the RSS sum ")
                .append("would count the pages Python's forked children share once per child).\n\n")
                .append(t.render()).append('\n');
        if (floorProblem != null) notes.add("floor: " + floorProblem);
        if (!notes.isEmpty()) {
            report.append("Failures by reason and notes:\n\n");
            notes.forEach(n -> report.append("- ").append(n).append('\n'));
            report.append('\n');
        }
        return report.toString();
    }

    private void unlockCells(Servers.Kind kind, int count, int configured, List<Integer> concurrencies, Path config,
            String tag) throws IOException, InterruptedException {
        String what = configured == count ? count + " clients" : count + " clients (as " + configured + ")";
        progress.printf("[1] %s, %s: starting%n", kind.label(), what);
        try (Servers.Running server = compare.launch(kind, config, tag);
                TreeSampler sampler = new TreeSampler(server.pid(), server::close)) {
            Compare.Startup st = compare.awaitReady(server, clients.get(0), compare.startupLimit(kind));
            if (configured == count) compare.recordStartup(kind.label(), count, st);
            progress.printf("[1] %s, %s: %s%n", kind.label(), what,
                    st.ok() ? "first unlock after " + Table.ms(st.toFirstUnlock().toNanos()) + " ms" : st.failure());
            if (!st.ok()) {
                for (int c : concurrencies) cell(kind, count, c, new Compare.Cell(null, 0, 0, null, st.failure(), configured));
                return;
            }
            LoadGenerator gen = new LoadGenerator(server.address(), Compare.IO_TIMEOUT);
            List<BenchClient> keys = clients.subList(0, configured);
            gen.closedLoop(keys, Math.min(Compare.WARMUP_CONCURRENCY, configured), plan.warmup());
            for (int c : concurrencies) {
                Compare.quiesce(server);
                ProcessTree.Snapshot before = ProcessTree.sample(server.pid(), false);
                double jitBefore = JitCpu.seconds(server.pid());
                sampler.reset();
                LoadGenerator.Result r = gen.closedLoop(keys, c, plan.cell(), Compare.MIN_UNLOCKS, plan.cellCap());
                ProcessTree.Snapshot after = ProcessTree.sample(server.pid(), false);
                double jit = JitCpu.seconds(server.pid()) - jitBefore;
                TreeSampler.Peaks peaks = sampler.peaks();
                Compare.Cell cell = new Compare.Cell(r, after.cpuSeconds() - before.cpuSeconds(), jit, peaks,
                        peaks.memoryLow() ? "stopped: machine memory low" : null, configured);
                cell(kind, count, c, cell);
                progress.printf("[1] %s, %s, concurrency %d: %s/s, p99 %s ms, %d failed, %d abandoned%n",
                        kind.label(), what, c, Table.num(r.perSecond()), Table.ms(r.latency().p99()),
                        r.failureCount(), r.abandoned());
            }
        }
    }

    private void cell(Servers.Kind kind, int count, int c, Compare.Cell cell) {
        cells.computeIfAbsent(kind.label(), k -> new HashMap<>()).put(count + "/" + c, cell);
    }

    Compare.Cell cellOf(String label, int count, int c) {
        return cells.getOrDefault(label, Map.of()).get(count + "/" + c);
    }

    /** "500", or "1→64" where the cell ran with more clients configured than its row's count. */
    static String rowLabel(int count, int concurrency) {
        int configured = configuredFor(count, concurrency);
        return configured == count ? Integer.toString(count) : count + "→" + configured;
    }

    private static double rateValue(Compare.Cell c) {
        return c == null || c.result() == null ? Double.NaN : c.perSecond();
    }

    private static double cpuValue(Compare.Cell c) {
        return c == null ? Double.NaN : c.cpuMsPerUnlock();
    }

    static String rate(Compare.Cell c) {
        if (c == null) return "–";
        if (c.result() == null) return "not started";
        if (c.result().unlocks() == 0) return "<" + Table.num(1e9 / c.result().window().toNanos()) + " (0 in "
                + Table.num(c.result().window().toNanos() / 1e9) + " s)";
        return Table.num(c.perSecond());
    }

    /** With no unlock on the Python side, its rate is below one per window: the ratio is a lower bound. */
    private static String rateRatio(Compare.Cell o, Compare.Cell p) {
        if (o != null && o.result() != null && p != null && p.result() != null && p.result().unlocks() == 0
                && o.result().unlocks() > 0) {
            return ">" + Table.num(o.perSecond() * p.result().window().toNanos() / 1e9) + "×";
        }
        return Table.ratio(rateValue(o), rateValue(p));
    }

    static String percentiles(Compare.Cell c) {
        if (c == null || c.result() == null || c.result().unlocks() == 0) return "–";
        LatencyStats l = c.result().latency();
        return Table.ms(l.p50()) + " / " + Table.ms(l.p90()) + " / " + Table.ms(l.p99());
    }

    private static String p99(Compare.Cell c) {
        if (c == null || c.result() == null || c.result().unlocks() == 0) return "–";
        return Table.ms(c.result().latency().p99());
    }

    private static String maxMs(Compare.Cell c) {
        if (c == null || c.result() == null || c.result().unlocks() == 0) return "–";
        return Table.ms(c.result().latency().max());
    }

    static String cpu(Compare.Cell c) {
        return c == null ? "–" : Table.num(c.cpuMsPerUnlock());
    }

    /** The JIT compiler threads' share of the cell's CPU per unlock. */
    static String jit(Compare.Cell c) {
        return c == null || c.result() == null ? "–" : Table.num(c.jitMsPerUnlock());
    }

    static String failures(Compare.Cell c) {
        if (c == null || c.result() == null) return "–";
        return c.result().failureCount() + " (" + c.result().abandoned() + ")";
    }

    static String mem(Compare.Cell c) {
        return c == null || c.peaks() == null ? "–" : Table.mb(c.peaks().pssBytes());
    }
}
