package org.mandosjava.bench;

import java.util.ArrayList;
import java.util.List;

/** Holds the run's figures against the performance targets (BENCHMARKS.md). Reports; never adjusts anything. */
final class Targets {
    private static final long MB = 1 << 20;

    private Targets() {}

    static String evaluate(Compare c) {
        Table t = new Table("target", "measured", "verdict");
        int max = c.plan().maxClients();
        ratio(t, c, 1, 64, 50);
        ratio(t, c, 500, 64, 500);
        Compare.Cell one = c.cellOf("ours", 1, 64);
        Compare.Cell many = c.cellOf("ours", max, 64);
        if (usable(one) && usable(many)) {
            double change = many.perSecond() / one.perSecond() - 1;
            t.row("ours, " + max + " clients within 10% of " + Compare.rowLabel(1, 64) + " client(s) (conc 64)",
                    Table.num(many.perSecond()) + " vs " + Table.num(one.perSecond()) + "/s ("
                            + String.format(java.util.Locale.ROOT, "%+.0f%%", change * 100) + ")",
                    verdict(change >= -0.10));
        }
        p99(t, c, 16, 30);
        p99(t, c, 64, 150);
        List<String> cpu = new ArrayList<>();
        boolean cpuOk = true;
        boolean any = false;
        for (int count : c.plan().clientCounts()) {
            Compare.Cell x = c.cellOf("ours", count, 64);
            if (!usable(x)) continue;
            any = true;
            cpu.add(Compare.rowLabel(count, 64) + ": " + Table.num(x.cpuMsPerUnlock()));
            cpuOk &= x.cpuMsPerUnlock() <= 1.1;
        }
        if (any) t.row("server CPU per unlock ≤ 1.1 ms (ours, conc 64, by client count)", String.join(", ", cpu),
                verdict(cpuOk));
        Compare.Startup big = c.startupOf("ours", c.plan().bigStartupClients());
        if (big != null) {
            t.row("startup with " + c.plan().bigStartupClients() + " clients < 3 s",
                    big.ok() ? Table.num(big.toFirstUnlock().toNanos() / 1e9) + " s" : big.failure(),
                    big.ok() ? verdict(big.toFirstUnlock().toMillis() < 3000) : "missed");
            if (big.ok()) t.row("RSS with " + c.plan().bigStartupClients() + " clients < 512 MB",
                    Table.mb(big.rssBytes()) + " MB (PSS " + Table.mb(big.pssBytes()) + ")",
                    verdict(big.rssBytes() < 512 * MB));
        }
        Compare.Startup o5 = c.startupOf("ours", max);
        Compare.Startup p5 = c.startupOf("python", max);
        if (o5 != null && p5 != null && o5.ok() && p5.ok()) {
            t.row("memory with " + max + " clients ≤ 2× Python's tree (PSS)",
                    Table.mb(o5.pssBytes()) + " vs " + Table.mb(p5.pssBytes()) + " MB ("
                            + Table.ratio(o5.pssBytes(), p5.pssBytes()) + ")",
                    verdict(o5.pssBytes() <= 2 * p5.pssBytes()));
        }
        Compare.StormFigures storm = c.stormOf("ours");
        if (storm != null) {
            if (storm.result() == null || storm.note() != null) {
                t.row("approval storm: no failures, RSS < 512 MB", storm.note() == null ? "–" : storm.note(),
                        "not measurable yet");
            } else {
                boolean ok = storm.result().failureCount() == 0 && storm.result().abandoned() == 0
                        && storm.peaks().rssBytes() < 512 * MB;
                t.row("approval storm of " + c.plan().stormConnections() + ": no failures, RSS < 512 MB",
                        storm.result().failureCount() + " failed, " + storm.result().abandoned() + " abandoned, "
                                + Table.mb(storm.peaks().rssBytes()) + " MB", verdict(ok));
            }
        }
        Compare.CheckerFigures oc = c.checkersOf("ours");
        Compare.CheckerFigures pc = c.checkersOf("python");
        if (oc != null) {
            if (oc.runs() == 0) {
                t.row("checker scheduling uses less server CPU than Python's", "no checker ran (not implemented)",
                        "not measurable yet");
            } else if (pc != null && pc.runs() > 0) {
                t.row("checker scheduling uses less server CPU than Python's",
                        Table.num(oc.serverCpu()) + " vs " + Table.num(pc.serverCpu()) + " s",
                        verdict(oc.serverCpu() < pc.serverCpu()));
            }
        }
        return "## Targets\n\n" + t.render();
    }

    /**
     * Ours at {@code conc} against Python at the same point; where Python completed fewer than
     * {@link Compare#MIN_UNLOCKS} there (its latency exceeded the window), against Python's best
     * measured rate at that client count instead, which is what it sustains once saturated.
     */
    private static void ratio(Table t, Compare c, int clients, int conc, double target) {
        Compare.Cell o = c.cellOf("ours", clients, conc);
        if (!usable(o)) return;
        Compare.Cell p = c.cellOf("python", clients, conc);
        String basis = "Python at conc " + conc;
        if (p == null || p.result() == null || p.result().unlocks() < Compare.MIN_UNLOCKS) {
            p = null;
            for (int other : c.plan().concurrencies()) {
                Compare.Cell x = c.cellOf("python", clients, other);
                if (x != null && x.result() != null && x.result().unlocks() >= Compare.MIN_UNLOCKS
                        && (p == null || x.perSecond() > p.perSecond())) {
                    p = x;
                    basis = "Python's best rate (conc " + other + "), too few unlocks at conc " + conc;
                }
            }
        }
        if (p == null) return;
        String name = "unlocks/s ≥ " + (int) target + "× Python, " + Compare.rowLabel(clients, conc) + " client(s), conc "
                + conc;
        double r = o.perSecond() / p.perSecond();
        t.row(name, Table.num(o.perSecond()) + " vs " + Table.num(p.perSecond()) + "/s = " + Table.num(r) + "× ("
                + basis + ")", verdict(r >= target));
    }

    private static void p99(Table t, Compare c, int conc, double limitMs) {
        List<String> figures = new ArrayList<>();
        boolean ok = true;
        boolean any = false;
        for (int count : c.plan().clientCounts()) {
            Compare.Cell x = c.cellOf("ours", count, conc);
            if (!usable(x)) continue;
            any = true;
            double p99 = x.result().latency().p99() / 1e6;
            figures.add(Compare.rowLabel(count, conc) + ": " + Table.num(p99));
            ok &= p99 <= limitMs;
        }
        if (any) t.row("p99 ≤ " + (int) limitMs + " ms at conc " + conc + " (ours, by client count)",
                String.join(", ", figures) + " ms", verdict(ok));
    }

    private static boolean usable(Compare.Cell cell) {
        return cell != null && cell.result() != null && cell.result().unlocks() > 0;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }
}
