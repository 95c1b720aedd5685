package org.mandosjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Scenario 7, the cold storm: the storm after a power cut meets a server that has just booted too.
 * Each server is started fresh twice: with one client configured, to time start to first unlock and
 * read its memory right after; and with 64 clients configured (the machines of a rack, one key per
 * connection, so no server's per-key connection cap is what is measured), to start a closed loop at
 * concurrency 64 the moment its port accepts, until the first few thousand unlocks have arrived (or a cap).
 */
final class ColdStorm {
    static final int CONCURRENCY = 64;
    private static final Duration LISTEN_POLL = Duration.ofMillis(5);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(20);

    private final Compare compare;
    private final List<Servers.Kind> kinds;
    private final List<BenchClient> clients;
    private final Path runDir;
    private final PrintStream progress;
    private final int wanted;
    private final Duration cap;
    private final Map<String, Figures> figures = new LinkedHashMap<>();

    /**
     * @param startup fresh start to first unlock, memory right after
     * @param toListening fresh start to the port accepting (when the storm begins), or null
     * @param result the storm, or null when the server did not come up
     */
    record Figures(Compare.Startup startup, Duration toListening, LoadGenerator.Result result, double cpuSeconds,
            double jitSeconds, TreeSampler.Peaks peaks, String note) {
        double cpuMsPerUnlock() {
            return result == null || result.unlocks() == 0 ? Double.NaN : cpuSeconds * 1000 / result.unlocks();
        }

        double jitMsPerUnlock() {
            return result == null || result.unlocks() == 0 ? Double.NaN : jitSeconds * 1000 / result.unlocks();
        }
    }

    ColdStorm(Compare compare, String mode, List<Servers.Kind> kinds, List<BenchClient> clients, Path runDir,
            PrintStream progress) {
        this.compare = compare;
        this.kinds = kinds;
        this.clients = clients;
        this.runDir = runDir;
        this.progress = progress;
        boolean quick = "quick".equals(mode);
        this.wanted = quick ? 2000 : 5000;
        this.cap = Duration.ofSeconds(quick ? 30 : 60);
    }

    Figures of(String label) {
        return figures.get(label);
    }

    String run() throws IOException, InterruptedException {
        Path config = runDir.resolve("s7");
        new ClientsConfWriter().write(config, clients.subList(0, 1), 0, null, new java.security.SecureRandom());
        Path stormConfig = runDir.resolve("s7-storm");
        new ClientsConfWriter().write(stormConfig, clients.subList(0, CONCURRENCY), 0, null,
                new java.security.SecureRandom());
        for (Servers.Kind kind : kinds) {
            progress.printf("[7] %s: fresh start to first unlock%n", kind.label());
            Compare.Startup st;
            try (Servers.Running server = compare.launch(kind, config, "s7-start")) {
                st = compare.awaitReady(server, clients.get(0), compare.startupLimit(kind));
            }
            progress.printf("[7] %s: fresh start, storm of %d as soon as the port accepts%n", kind.label(), CONCURRENCY);
            figures.put(kind.label(), storm(kind, stormConfig, st));
        }
        return report();
    }

    private Figures storm(Servers.Kind kind, Path config, Compare.Startup st) throws IOException, InterruptedException {
        try (Servers.Running server = compare.launch(kind, config, "s7-storm");
                TreeSampler sampler = new TreeSampler(server.pid(), server::close)) {
            long deadline = server.startedNanos() + compare.startupLimit(kind).toNanos();
            while (!accepts(server)) {
                if (!server.process().isAlive() || System.nanoTime() > deadline) {
                    return new Figures(st, null, null, 0, 0, null, server.process().isAlive()
                            ? "not listening within " + compare.startupLimit(kind).toSeconds() + " s"
                            : "exited with status " + server.process().exitValue());
                }
                Thread.sleep(LISTEN_POLL);
            }
            Duration listening = Duration.ofNanos(System.nanoTime() - server.startedNanos());
            ProcessTree.Snapshot before = ProcessTree.sample(server.pid(), false);
            double jitBefore = JitCpu.seconds(server.pid());
            LoadGenerator.Result r = new LoadGenerator(server.address(), IO_TIMEOUT)
                    .closedLoopFor(clients.subList(0, CONCURRENCY), CONCURRENCY, wanted, cap);
            ProcessTree.Snapshot after = ProcessTree.sample(server.pid(), false);
            double jit = JitCpu.seconds(server.pid()) - jitBefore;
            TreeSampler.Peaks peaks = sampler.peaks();
            String note = peaks.memoryLow() ? "stopped: machine memory low"
                    : r.unlocks() < wanted ? "cap of " + cap.toSeconds() + " s reached after " + r.unlocks() + " unlocks"
                    : null;
            progress.printf("[7] %s: %d unlocks in %s s, p99 %s ms, %d failed%n", kind.label(), r.unlocks(),
                    Table.num(r.window().toNanos() / 1e9), Table.ms(r.latency().p99()), r.failureCount());
            return new Figures(st, listening, r, after.cpuSeconds() - before.cpuSeconds(), jit, peaks, note);
        }
    }

    /** A TCP connect that succeeds: the server is listening (the storm may still meet refusals). */
    private static boolean accepts(Servers.Running server) {
        try (Socket s = new Socket()) {
            s.connect(server.address(), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String report() {
        Table t = new Table("figure", "ours", "python", "floor", "ours/python", "ours/floor");
        row(t, "start to first unlock s (own fresh start)", f -> f.startup().ok()
                ? Table.num(f.startup().toFirstUnlock().toNanos() / 1e9) : f.startup().failure(),
                f -> f.startup().ok() ? f.startup().toFirstUnlock().toNanos() : Double.NaN);
        row(t, "RSS right after start MB", f -> f.startup().ok() ? Table.mb(f.startup().rssBytes()) : "–",
                f -> f.startup().ok() ? f.startup().rssBytes() : Double.NaN);
        row(t, "PSS right after start MB", f -> f.startup().ok() ? Table.mb(f.startup().pssBytes()) : "–",
                f -> f.startup().ok() ? f.startup().pssBytes() : Double.NaN);
        row(t, "start to port accepting s (storm start)", f -> f.toListening() == null ? f.note()
                : Table.num(f.toListening().toNanos() / 1e9), f -> f.toListening() == null ? Double.NaN
                : f.toListening().toNanos());
        row(t, "unlocks in the storm (window s)", f -> f.result() == null ? "–" : f.result().unlocks() + " ("
                + Table.num(f.result().window().toNanos() / 1e9) + ")", f -> Double.NaN);
        row(t, "cold unlocks/s", f -> f.result() == null ? "–" : Table.num(f.result().perSecond()),
                f -> f.result() == null ? Double.NaN : f.result().perSecond());
        row(t, "p50 / p99 ms", f -> f.result() == null || f.result().unlocks() == 0 ? "–"
                : Table.ms(f.result().latency().p50()) + " / " + Table.ms(f.result().latency().p99()),
                f -> f.result() == null || f.result().unlocks() == 0 ? Double.NaN : f.result().latency().p99());
        row(t, "failed (abandoned)", f -> f.result() == null ? "–"
                : f.result().failureCount() + " (" + f.result().abandoned() + ")", f -> Double.NaN);
        row(t, "CPU ms per unlock (tree)", f -> Table.num(f.cpuMsPerUnlock()), Figures::cpuMsPerUnlock);
        row(t, "of it JIT compiler threads", f -> f.result() == null || f.jitSeconds() == 0 ? "–"
                : Table.num(f.jitMsPerUnlock()), f -> Double.NaN);
        row(t, "peak PSS MB in the storm", f -> f.peaks() == null ? "–" : Table.mb(f.peaks().pssBytes()),
                f -> f.peaks() == null ? Double.NaN : f.peaks().pssBytes());
        StringBuilder out = new StringBuilder("## 7. Cold storm\n\n")
                .append("Each server freshly started twice: with 1 client configured until a probe gets its ")
                .append("secret (start to first unlock, memory right after); and with ").append(CONCURRENCY)
                .append(" clients configured, a closed loop of ").append(CONCURRENCY)
                .append(" connections (one key each) begun as soon as its port accepts a TCP connection, ")
                .append("until ").append(wanted).append(" unlocks arrived or ").append(cap.toSeconds())
                .append(" s passed; the rate is over that window, so it includes whatever the server still did ")
                .append("before it served. Ratios of p99 and times: ours/other (lower is better for ours).\n\n")
                .append(t.render()).append('\n');
        figures.forEach((label, f) -> {
            if (f.note() != null && f.result() != null) out.append("- ").append(label).append(": ").append(f.note()).append('\n');
            if (f.result() != null && !f.result().failures().isEmpty()) {
                out.append("- ").append(label).append(" failures: ").append(f.result().failures()).append('\n');
            }
        });
        return out.append('\n').toString();
    }

    private void row(Table t, String name, Function<Figures, String> show, ToDoubleFunction<Figures> value) {
        t.row(name, cell("ours", show), cell("python", show), cell("floor", show),
                Table.ratio(value("ours", value), value("python", value)),
                Table.ratio(value("ours", value), value("floor", value)));
    }

    private String cell(String label, Function<Figures, String> show) {
        Figures f = figures.get(label);
        return f == null ? "–" : show.apply(f);
    }

    private double value(String label, ToDoubleFunction<Figures> value) {
        Figures f = figures.get(label);
        return f == null ? Double.NaN : value.applyAsDouble(f);
    }
}
