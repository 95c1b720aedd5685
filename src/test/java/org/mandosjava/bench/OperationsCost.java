package org.mandosjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mandosjava.audit.AuditFileVerifier;
import org.mandosjava.testing.DatagramReceiver;

/**
 * Scenario 8, what the audit trail and the metrics cost on the unlock path: our server is started
 * alternately without them ("off") and with them ("on"), off, on, off, on …, each run measured the
 * same way (fresh start, warm-up, then a closed loop), so that a shared machine's drift falls on both
 * settings alike. "On" is production's: audit records to the journal (a receiver in this process
 * speaking for journald; the server sends them as it does under systemd) and to the hash-chained
 * {@code audit_log} file with its fdatasync before each release, and metrics served on loopback with a
 * scraper taking {@code /metrics} every second, as Prometheus would.
 */
final class OperationsCost {
    static final int CLIENTS = 500;
    static final int CONCURRENCY = 64;
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(20);
    /** The cost the operations work may add per unlock (issue: within 5 %). */
    static final double ALLOWED = 0.05;

    private final Compare compare;
    private final Servers.Kind ours;
    private final List<BenchClient> clients;
    private final Path runDir;
    private final PrintStream progress;
    private final int pairs;
    private final Duration warmup;
    private final Duration window;
    private final List<Run> runs = new ArrayList<>();

    /**
     * @param on whether auditing and metrics were on
     * @param extras what the "on" run's audit file, journal and scraper saw (null when off)
     */
    record Run(int number, boolean on, LoadGenerator.Result result, double cpuSeconds, Extras extras, String note) {
        double cpuMsPerUnlock() {
            return result == null || result.unlocks() == 0 ? Double.NaN : cpuSeconds * 1000 / result.unlocks();
        }

        double perSecond() {
            return result == null ? Double.NaN : result.perSecond();
        }
    }

    /** What the audit sinks and the metrics endpoint did in an "on" run. */
    record Extras(AuditFileVerifier.Result audit, long journalEntries, MetricsScraper.Figures scrapes) {}

    OperationsCost(Compare compare, Servers.Kind ours, List<BenchClient> clients, Path runDir, PrintStream progress,
            int pairs, Duration warmup, Duration window) {
        this.compare = compare;
        this.ours = ours;
        this.clients = clients;
        this.runDir = runDir;
        this.progress = progress;
        this.pairs = pairs;
        this.warmup = warmup;
        this.window = window;
    }

    /** Full: 4 pairs of 20 s windows after 10 s of warm-up, about 5 minutes; quick: 3 pairs of 8 s. */
    static OperationsCost forMode(String mode, Compare compare, Servers.Kind ours, List<BenchClient> clients,
            Path runDir, PrintStream progress, Integer pairs) {
        boolean quick = "quick".equals(mode);
        return new OperationsCost(compare, ours, clients, runDir, progress,
                pairs != null ? pairs : quick ? 3 : 4, Duration.ofSeconds(quick ? 5 : 10),
                Duration.ofSeconds(quick ? 8 : 20));
    }

    List<Run> runs() {
        return runs;
    }

    String run() throws IOException, InterruptedException {
        Path config = runDir.resolve("s8");
        new ClientsConfWriter().write(config, clients.subList(0, CLIENTS), 0, null, new SecureRandom());
        for (int i = 0; i < 2 * pairs; i++) {
            boolean on = i % 2 == 1;
            progress.printf("[8] run %d of %d: auditing and metrics %s%n", i + 1, 2 * pairs, on ? "on" : "off");
            Run r = on ? measureOn(i + 1, config) : measure(i + 1, false, ours, config, null);
            runs.add(r);
            progress.printf("[8] run %d (%s): %s/s, %s ms CPU per unlock%s%n", i + 1, on ? "on" : "off",
                    Table.num(r.perSecond()), Table.num(r.cpuMsPerUnlock()), r.note() == null ? "" : ", " + r.note());
        }
        return report();
    }

    private Run measureOn(int number, Path config) throws IOException, InterruptedException {
        Path audit = runDir.resolve("s8-audit-" + number + ".jsonl");
        String metrics = Servers.LISTEN_V4 + ":" + Servers.freePort();
        try (JournalDrain journal = JournalDrain.start(runDir.resolve("s8-journal-" + number + ".sock"))) {
            Servers.Kind kind = new WithOperations(ours,
                    List.of("--audit-log", audit.toString(), "--metrics-address", metrics),
                    Map.of("INVOCATION_ID", "mandos-bench-" + number, "MANDOS_JOURNAL_SOCKET",
                            journal.receiver.path().toString()));
            Run r = measure(number, true, kind, config, metrics);
            long entries = journal.finish();
            AuditFileVerifier.Result chain = Files.exists(audit) ? AuditFileVerifier.verify(audit) : null;
            Files.deleteIfExists(audit);
            return new Run(number, true, r.result(), r.cpuSeconds(),
                    new Extras(chain, entries, r.extras() == null ? null : r.extras().scrapes()), r.note());
        }
    }

    private Run measure(int number, boolean on, Servers.Kind kind, Path config, String metrics)
            throws IOException, InterruptedException {
        try (Servers.Running server = compare.launch(kind, config, "s8-" + (on ? "on" : "off"))) {
            Compare.Startup st = compare.awaitReady(server, clients.get(0), compare.startupLimit(kind));
            if (!st.ok()) return new Run(number, on, null, 0, null, st.failure());
            MetricsScraper scraper = metrics == null ? null : MetricsScraper.start(metrics);
            try {
                List<BenchClient> keys = clients.subList(0, CLIENTS);
                LoadGenerator gen = new LoadGenerator(server.address(), IO_TIMEOUT);
                gen.closedLoop(keys, CONCURRENCY, warmup);
                ProcessTree.Snapshot before = ProcessTree.sample(server.pid(), false);
                LoadGenerator.Result r = gen.closedLoop(keys, CONCURRENCY, window);
                ProcessTree.Snapshot after = ProcessTree.sample(server.pid(), false);
                MetricsScraper.Figures scrapes = scraper == null ? null : scraper.finish();
                return new Run(number, on, r, after.cpuSeconds() - before.cpuSeconds(),
                        scrapes == null ? null : new Extras(null, 0, scrapes), null);
            } finally {
                if (scraper != null) scraper.close();
            }
        }
    }

    /** Our server with the operations options and environment added. */
    private record WithOperations(Servers.Kind inner, List<String> options, Map<String, String> env)
            implements Servers.Kind {
        @Override
        public String label() {
            return inner.label();
        }

        @Override
        public List<String> command(Path configDir, Path stateDir, int port) {
            List<String> cmd = new ArrayList<>(inner.command(configDir, stateDir, port));
            cmd.addAll(options);
            return cmd;
        }

        @Override
        public void environment(Map<String, String> environment) {
            inner.environment(environment);
            environment.putAll(env);
        }
    }

    /** journald's socket for one run: datagrams received and counted, on a thread of its own. */
    private static final class JournalDrain implements AutoCloseable {
        final DatagramReceiver receiver;
        private final AtomicLong entries = new AtomicLong();
        private final Thread thread;
        private volatile boolean stopping;

        private JournalDrain(DatagramReceiver receiver) {
            this.receiver = receiver;
            this.thread = Thread.ofPlatform().daemon().name("journal-drain").start(this::loop);
        }

        static JournalDrain start(Path socket) throws IOException {
            return new JournalDrain(DatagramReceiver.bind(socket));
        }

        private void loop() {
            byte[] buffer = new byte[64 * 1024];
            try {
                while (!stopping) {
                    if (receiver.receive(buffer, Duration.ofMillis(200)) >= 0) entries.incrementAndGet();
                }
            } catch (IOException e) {
                // Closed under us: the count so far is the answer.
            }
        }

        /** Stops draining once the socket is quiet; the datagrams received. */
        long finish() throws InterruptedException {
            stopping = true;
            thread.join(Duration.ofSeconds(5));
            return entries.get();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            finish();
            receiver.close();
        }
    }

    // ---------------------------------------------------------------- report

    /** on/off per pair for a figure. */
    private double[] pairRatios(java.util.function.ToDoubleFunction<Run> figure) {
        double[] ratios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            Run off = runs.get(2 * p);
            Run on = runs.get(2 * p + 1);
            ratios[p] = figure.applyAsDouble(on) / figure.applyAsDouble(off);
        }
        return ratios;
    }

    /** Pooled over all runs of a setting: unlocks over the summed windows, CPU over the summed unlocks. */
    private double pooled(boolean on, boolean cpu) {
        double unlocks = 0;
        double seconds = 0;
        double cpuSeconds = 0;
        for (Run r : runs) {
            if (r.on() != on || r.result() == null) continue;
            unlocks += r.result().unlocks();
            seconds += r.result().window().toNanos() / 1e9;
            cpuSeconds += r.cpuSeconds();
        }
        return cpu ? cpuSeconds * 1000 / unlocks : unlocks / seconds;
    }

    /** Median ratio on/off of the pairs for unlocks/s and CPU per unlock; NaN where a run failed. */
    double medianRateRatio() {
        return median(pairRatios(Run::perSecond));
    }

    double medianCpuRatio() {
        return median(pairRatios(Run::cpuMsPerUnlock));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0 || Double.isNaN(v[v.length - 1])) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private String report() {
        Table t = new Table("run", "auditing + metrics", "unlocks/s", "p50 / p99 ms", "CPU ms/unlock", "failed",
                "audit records (chain)", "journal entries", "scrapes ok / failed", "scrape KB, max ms");
        for (Run r : runs) {
            Extras x = r.extras();
            t.row(Integer.toString(r.number()), r.on() ? "on" : "off",
                    r.result() == null ? r.note() : Table.num(r.perSecond()),
                    r.result() == null || r.result().unlocks() == 0 ? "–"
                            : Table.ms(r.result().latency().p50()) + " / " + Table.ms(r.result().latency().p99()),
                    Table.num(r.cpuMsPerUnlock()),
                    r.result() == null ? "–" : Long.toString(r.result().failureCount()),
                    x == null || x.audit() == null ? "–" : x.audit().records() + (x.audit().intact() ? " (intact)"
                            : " (broken: " + x.audit().problem() + ")"),
                    x == null ? "–" : Long.toString(x.journalEntries()),
                    x == null || x.scrapes() == null ? "–" : x.scrapes().ok() + " / " + x.scrapes().failed(),
                    x == null || x.scrapes() == null ? "–"
                            : Table.num(x.scrapes().bytes() / 1024.0) + ", " + Table.num(x.scrapes().maxMillis()));
        }
        double[] rate = pairRatios(Run::perSecond);
        double[] cpu = pairRatios(Run::cpuMsPerUnlock);
        Table s = new Table("on / off", "per pair", "median", "pooled", "within 5 %");
        s.row("unlocks/s", list(rate), Table.num(median(rate)), Table.num(pooled(true, false) / pooled(false, false)),
                verdict(median(rate) >= 1 - ALLOWED));
        s.row("server CPU per unlock", list(cpu), Table.num(median(cpu)),
                Table.num(pooled(true, true) / pooled(false, true)), verdict(median(cpu) <= 1 + ALLOWED));
        return "## 8. Cost of auditing and metrics\n\n"
                + "Our server alone, " + CLIENTS + " clients, concurrency " + CONCURRENCY + ", started fresh for each "
                + "run and run off, on, off, on … (" + pairs + " pairs): " + warmup.toSeconds() + " s of warm-up, then "
                + window.toSeconds() + " s measured. Off: no audit sink (no journal, no syslog socket, no "
                + "`audit_log`) and no metrics. On: audit records to the journal (`INVOCATION_ID` set, "
                + "`MANDOS_JOURNAL_SOCKET` at a receiver in the benchmark standing in for journald) and to "
                + "`--audit-log` (hash-chained, fdatasync before each release, on this machine's disk), and "
                + "`--metrics-address " + Servers.LISTEN_V4 + ":PORT` scraped every "
                + MetricsScraper.INTERVAL.toSeconds() + " s during the run, per-client series included. "
                + "CPU = server process over the measured window. Audit records and journal entries count "
                + "the whole run (warm-up and probe included).\n\n"
                + t.render() + '\n' + s.render() + '\n'
                + "Verdict on the median of the pairs' ratios; pooled = all on runs against all off runs.\n\n";
    }

    private static String list(double[] ratios) {
        List<String> out = new ArrayList<>();
        for (double r : ratios) out.add(Table.num(r));
        return String.join(", ", out);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }
}
