package org.mandosjava.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds the run's figures against the footprint targets (memory, start-up, and the C floor server's
 * CPU per unlock and cold storm; BENCHMARKS.md). Reports; never adjusts anything.
 */
final class FootprintTargets {
    private static final long MB = 1 << 20;
    private static final int CONC = 64;

    private FootprintTargets() {}

    static String evaluate(Compare c) {
        Table t = new Table("footprint target", "measured", "verdict");
        stormPss(t, c);
        startMemory(t, c);
        startTime(t, c);
        floorRows(t, c);
        coldStorm(t, c);
        for (Regressions.Row r : c.regressions()) t.row(r.target(), r.measured(), r.verdict());
        return "## Footprint targets\n\n" + t.render();
    }

    /** Peak PSS over the concurrency-64 cell of scenario 1, against Python's in the same cell. */
    private static void stormPss(Table t, Compare c) {
        for (int count : c.plan().clientCounts()) {
            if (count > 500) continue;
            Compare.Cell o = c.cellOf("ours", count, CONC);
            Compare.Cell p = c.cellOf("python", count, CONC);
            if (o == null || o.peaks() == null || p == null || p.peaks() == null) continue;
            long ours = o.peaks().pssBytes();
            long python = p.peaks().pssBytes();
            t.row("PSS in the conc-64 storm ≤ 1.0× Python's and ≤ 128 MB, " + Compare.rowLabel(count, CONC)
                    + " client(s)",
                    Table.mb(ours) + " vs " + Table.mb(python) + " MB (" + Table.ratio(ours, python) + ")",
                    verdict(ours <= python && ours <= 128 * MB));
        }
        int big = c.plan().bigStartupClients();
        Compare.Cell storm = c.bigStormOf("ours");
        String name = "PSS in a conc-" + Compare.BIG_STORM_CONCURRENCY + " storm ≤ 400 MB with " + big + " clients";
        if (storm == null || storm.peaks() == null) t.row(name, "no storm with " + big + " clients in this run",
                "not measured");
        else t.row(name, Table.mb(storm.peaks().pssBytes()) + " MB (" + rateOf(storm) + ")",
                verdict(storm.peaks().pssBytes() <= 400 * MB));
    }

    private static void startMemory(Table t, Compare c) {
        Compare.Startup o = start(c, "ours");
        Compare.Startup p = start(c, "python");
        if (o == null || p == null || !o.ok() || !p.ok()) return;
        t.row("RSS right after start, 1 client ≤ 1.0× Python's", Table.mb(o.rssBytes()) + " vs "
                + Table.mb(p.rssBytes()) + " MB (" + Table.ratio(o.rssBytes(), p.rssBytes()) + ")",
                verdict(o.rssBytes() <= p.rssBytes()));
    }

    private static void startTime(Table t, Compare c) {
        Compare.Startup o = start(c, "ours");
        Compare.Startup p = start(c, "python");
        if (o != null && p != null && o.ok() && p.ok()) {
            double r = seconds(o) / seconds(p);
            t.row("start to first unlock, 1 client ≤ 1.5× Python's", Table.num(seconds(o)) + " vs "
                    + Table.num(seconds(p)) + " s (" + Table.num(r) + "×)", verdict(r <= 1.5));
        }
        int big = c.plan().bigStartupClients();
        Compare.Startup ob = c.startupOf("ours", big);
        if (ob != null) t.row("start to first unlock < 3 s with " + big + " clients", ob.ok()
                ? Table.num(seconds(ob)) + " s" : ob.failure(), ob.ok() ? verdict(seconds(ob) < 3) : "**missed**");
        for (int count : c.plan().clientCounts()) {
            if (count < 50) continue;
            Compare.Startup oc = c.startupOf("ours", count);
            Compare.Startup pc = c.startupOf("python", count);
            if (oc == null || pc == null || !oc.ok() || !pc.ok()) continue;
            t.row("start to first unlock faster than Python's, " + count + " clients", Table.num(seconds(oc))
                    + " vs " + Table.num(seconds(pc)) + " s", verdict(seconds(oc) < seconds(pc)));
        }
    }

    /** Scenario 1 at concurrency 64, every client count: CPU per unlock and rate against the floor's. */
    private static void floorRows(Table t, Compare c) {
        List<String> cpu = new ArrayList<>();
        List<String> rate = new ArrayList<>();
        boolean cpuOk = true;
        boolean rateOk = true;
        for (int count : c.plan().clientCounts()) {
            Compare.Cell o = c.cellOf("ours", count, CONC);
            Compare.Cell f = c.cellOf("floor", count, CONC);
            if (!usable(o) || !usable(f)) continue;
            double cr = o.cpuMsPerUnlock() / f.cpuMsPerUnlock();
            double rr = o.perSecond() / f.perSecond();
            cpu.add(Compare.rowLabel(count, CONC) + ": " + Table.num(o.cpuMsPerUnlock()) + " vs " + Table.num(f.cpuMsPerUnlock()) + " ms ("
                    + Table.num(cr) + "×)");
            rate.add(Compare.rowLabel(count, CONC) + ": " + Table.num(o.perSecond()) + " vs " + Table.num(f.perSecond()) + "/s ("
                    + pct(rr) + ")");
            cpuOk &= cr <= 1.5;
            rateOk &= rr >= 0.9;
        }
        if (cpu.isEmpty()) {
            t.row("CPU per unlock ≤ 1.5× the floor's; unlocks/s ≥ 90 % of it (conc 64)", "no floor figures",
                    "not measured");
            return;
        }
        t.row("CPU per unlock at conc 64 ≤ 1.5× the floor server's, every row", String.join("; ", cpu),
                verdict(cpuOk));
        t.row("unlocks/s at conc 64 ≥ 90 % of the floor server's, every row", String.join("; ", rate),
                verdict(rateOk));
    }

    private static void coldStorm(Table t, Compare c) {
        ColdStorm s = c.coldStorm();
        if (s == null) return;
        ColdStorm.Figures o = s.of("ours");
        ColdStorm.Figures f = s.of("floor");
        if (o == null || f == null || o.result() == null || f.result() == null || o.result().unlocks() == 0
                || f.result().unlocks() == 0) {
            t.row("cold storm: unlocks/s ≥ 75 % of the floor's, p99 ≤ 2× the floor's", "no figures for both",
                    "not measured");
            return;
        }
        double rr = o.result().perSecond() / f.result().perSecond();
        t.row("cold storm: unlocks/s ≥ 75 % of the floor server's", Table.num(o.result().perSecond()) + " vs "
                + Table.num(f.result().perSecond()) + "/s (" + pct(rr) + ")", verdict(rr >= 0.75));
        double pr = (double) o.result().latency().p99() / f.result().latency().p99();
        t.row("cold storm: p99 ≤ 2× the floor server's", Table.ms(o.result().latency().p99()) + " vs "
                + Table.ms(f.result().latency().p99()) + " ms (" + Table.num(pr) + "×)", verdict(pr <= 2));
    }

    /** The cold storm's own fresh start where it ran, else scenario 1's 1-client start. */
    private static Compare.Startup start(Compare c, String label) {
        ColdStorm s = c.coldStorm();
        if (s != null && s.of(label) != null) return s.of(label).startup();
        return c.startupOf(label, 1);
    }

    private static double seconds(Compare.Startup s) {
        return s.toFirstUnlock().toNanos() / 1e9;
    }

    private static String rateOf(Compare.Cell c) {
        return c.result() == null ? "not run" : Table.num(c.perSecond()) + " unlocks/s";
    }

    private static boolean usable(Compare.Cell cell) {
        return cell != null && cell.result() != null && cell.result().unlocks() > 0;
    }

    private static String pct(double r) {
        return String.format(java.util.Locale.ROOT, "%.0f %%", r * 100);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }
}
