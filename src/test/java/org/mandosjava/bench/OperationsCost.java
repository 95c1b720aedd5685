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
    /**
     * A fresh server's JIT goes on compiling the TLS path for about half a minute of a storm on a
     * 2-core machine (the compiler threads took 17-24 % of the server's CPU from 10 to 30 s after
     * the start), and a setting with more code to compile pays more of it in an early window; the
     * cost on the unlock path is measured once the compiler is done. The "of it JIT" column shows
     * what is left.
     */
    static final Duration FULL_WARMUP = Duration.ofSeconds(40);
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
    private final List<Setting> settings;
    private final List<Run> runs = new ArrayList<>();

    /**
     * What a run has on; {@code ALL} is everything, {@code DEFAULTS} what a packaged server with
     * metrics turned on runs (the journal is the audit trail; the audit file is opt-in), the others
     * split the cost.
     */
    enum Setting {
        OFF("off", false, false, false), JOURNAL("journal only", true, false, false),
        FILE("audit_log only", false, true, false), METRICS("metrics only", false, false, true),
        DEFAULTS("journal + metrics", true, false, true), ALL("on", true, true, true);

        final String label;
        final boolean journal;
        final boolean file;
        final boolean metrics;

        Setting(String label, boolean journal, boolean file, boolean metrics) {
            this.label = label;
            this.journal = journal;
            this.file = file;
            this.metrics = metrics;
        }
    }

    /**
     * @param round which off/on round (from 0): ratios are taken within a round
     * @param extras what the run's audit file, journal and scraper saw (null when off)
     */
    /** @param jitSeconds of {@code cpuSeconds}, what the JIT compiler threads used */
    record Run(int number, int round, Setting setting, LoadGenerator.Result result, double cpuSeconds,
            double jitSeconds, Extras extras, String note) {
        double cpuMsPerUnlock() {
            return result == null || result.unlocks() == 0 ? Double.NaN : cpuSeconds * 1000 / result.unlocks();
        }

        double jitMsPerUnlock() {
            return result == null || result.unlocks() == 0 ? Double.NaN : jitSeconds * 1000 / result.unlocks();
        }

        double perSecond() {
            return result == null ? Double.NaN : result.perSecond();
        }
    }

    /** What the audit sinks and the metrics endpoint did in an "on" run. */
    record Extras(AuditFileVerifier.Result audit, long journalEntries, MetricsScraper.Figures scrapes) {}

    OperationsCost(Compare compare, Servers.Kind ours, List<BenchClient> clients, Path runDir, PrintStream progress,
            int pairs, Duration warmup, Duration window, boolean parts) {
        this.compare = compare;
        this.ours = ours;
        this.clients = clients;
        this.runDir = runDir;
        this.progress = progress;
        this.pairs = pairs;
        this.warmup = warmup;
        this.window = window;
        this.settings = parts ? List.of(Setting.values()) : List.of(Setting.OFF, Setting.DEFAULTS, Setting.ALL);
    }

    /** The warm-up of every run when set (--warmup), instead of the mode's. */
    static volatile Duration warmupOverride;

    /**
     * Full: 4 rounds of 20 s windows after {@link #FULL_WARMUP} of warm-up, about 13 minutes; quick: 3
     * rounds of 8 s after 5 s.
     */
    static OperationsCost forMode(String mode, Compare compare, Servers.Kind ours, List<BenchClient> clients,
            Path runDir, PrintStream progress, Integer pairs, boolean parts) {
        boolean quick = "quick".equals(mode);
        Duration warmup = warmupOverride != null ? warmupOverride : quick ? Duration.ofSeconds(5) : FULL_WARMUP;
        return new OperationsCost(compare, ours, clients, runDir, progress,
                pairs != null ? pairs : quick ? 3 : 4, warmup, Duration.ofSeconds(quick ? 8 : 20), parts);
    }

    List<Run> runs() {
        return runs;
    }

    String run() throws IOException, InterruptedException {
        Path config = runDir.resolve("s8");
        new ClientsConfWriter().write(config, clients.subList(0, CLIENTS), 0, null, new SecureRandom());
        int total = pairs * settings.size();
        for (int i = 0; i < total; i++) {
            int round = i / settings.size();
            Setting setting = settings.get(i % settings.size());
            progress.printf("[8] run %d of %d: auditing and metrics %s%n", i + 1, total, setting.label);
            Run r = measureWith(i + 1, round, setting, config);
            runs.add(r);
            progress.printf("[8] run %d (%s): %s/s, %s ms CPU per unlock%s%n", i + 1, setting.label,
                    Table.num(r.perSecond()), Table.num(r.cpuMsPerUnlock()), r.note() == null ? "" : ", " + r.note());
        }
        return report();
    }

    private Run measureWith(int number, int round, Setting setting, Path config)
            throws IOException, InterruptedException {
        if (setting == Setting.OFF) return measure(number, round, setting, ours, config, null);
        Path audit = runDir.resolve("s8-audit-" + number + ".jsonl");
        String metrics = setting.metrics ? Servers.LISTEN_V4 + ":" + Servers.freePort() : null;
        List<String> options = new ArrayList<>();
        if (setting.file) options.addAll(List.of("--audit-log", audit.toString()));
        if (metrics != null) options.addAll(List.of("--metrics-address", metrics));
        try (JournalDrain journal = JournalDrain.start(runDir.resolve("s8-journal-" + number + ".sock"))) {
            Map<String, String> env = setting.journal ? Map.of("INVOCATION_ID", "mandos-bench-" + number,
                    "MANDOS_JOURNAL_SOCKET", journal.receiver.path().toString()) : Map.of();
            Run r = measure(number, round, setting, new WithOperations(ours, options, env), config, metrics);
            long entries = journal.finish();
            AuditFileVerifier.Result chain = Files.exists(audit) ? AuditFileVerifier.verify(audit) : null;
            Files.deleteIfExists(audit);
            return new Run(number, round, setting, r.result(), r.cpuSeconds(), r.jitSeconds(),
                    new Extras(chain, entries, r.extras() == null ? null : r.extras().scrapes()), r.note());
        }
    }

    private Run measure(int number, int round, Setting setting, Servers.Kind kind, Path config, String metrics)
            throws IOException, InterruptedException {
        try (Servers.Running server = compare.launch(kind, config, "s8-" + setting.name().toLowerCase())) {
            Compare.Startup st = compare.awaitReady(server, clients.get(0), compare.startupLimit(kind));
            if (!st.ok()) return new Run(number, round, setting, null, 0, 0, null, st.failure());
            MetricsScraper scraper = metrics == null ? null : MetricsScraper.start(metrics);
            try {
                List<BenchClient> keys = clients.subList(0, CLIENTS);
                LoadGenerator gen = new LoadGenerator(server.address(), IO_TIMEOUT);
                gen.closedLoop(keys, CONCURRENCY, warmup);
                ProcessTree.Snapshot before = ProcessTree.sample(server.pid(), false);
                double jitBefore = JitCpu.seconds(server.pid());
                LoadGenerator.Result r = gen.closedLoop(keys, CONCURRENCY, window);
                ProcessTree.Snapshot after = ProcessTree.sample(server.pid(), false);
                double jit = JitCpu.seconds(server.pid()) - jitBefore;
                MetricsScraper.Figures scrapes = scraper == null ? null : scraper.finish();
                return new Run(number, round, setting, r, after.cpuSeconds() - before.cpuSeconds(), jit,
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

    /** {@code setting}/off within each round for a figure. */
    private double[] roundRatios(Setting setting, java.util.function.ToDoubleFunction<Run> figure) {
        double[] ratios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            ratios[p] = figure.applyAsDouble(runOf(p, setting)) / figure.applyAsDouble(runOf(p, Setting.OFF));
        }
        return ratios;
    }

    /** Median over the rounds of all-on / off: CPU per unlock if {@code cpu}, else unlocks/s. */
    double medianOnOff(boolean cpu) {
        return median(roundRatios(Setting.ALL, cpu ? Run::cpuMsPerUnlock : Run::perSecond));
    }

    private Run runOf(int round, Setting setting) {
        return runs.stream().filter(r -> r.round() == round && r.setting() == setting).findFirst().orElseThrow();
    }

    /** Pooled over all runs of a setting: unlocks over the summed windows, CPU over the summed unlocks. */
    private double pooled(Setting setting, boolean cpu) {
        double unlocks = 0;
        double seconds = 0;
        double cpuSeconds = 0;
        for (Run r : runs) {
            if (r.setting() != setting || r.result() == null) continue;
            unlocks += r.result().unlocks();
            seconds += r.result().window().toNanos() / 1e9;
            cpuSeconds += r.cpuSeconds();
        }
        return cpu ? cpuSeconds * 1000 / unlocks : unlocks / seconds;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0 || Double.isNaN(v[v.length - 1])) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private String report() {
        Table t = new Table("run", "auditing + metrics", "unlocks/s", "p50 / p99 ms", "CPU ms/unlock",
                "of it JIT", "failed",
                "audit records (chain)", "journal entries", "scrapes ok / failed", "scrape KB, max ms");
        for (Run r : runs) {
            Extras x = r.extras();
            t.row(Integer.toString(r.number()), r.setting().label,
                    r.result() == null ? r.note() : Table.num(r.perSecond()),
                    r.result() == null || r.result().unlocks() == 0 ? "–"
                            : Table.ms(r.result().latency().p50()) + " / " + Table.ms(r.result().latency().p99()),
                    Table.num(r.cpuMsPerUnlock()), Table.num(r.jitMsPerUnlock()),
                    r.result() == null ? "–" : Long.toString(r.result().failureCount()),
                    x == null || x.audit() == null ? "–" : x.audit().records() + (x.audit().intact() ? " (intact)"
                            : " (broken: " + x.audit().problem() + ")"),
                    x == null || !r.setting().journal ? "–" : Long.toString(x.journalEntries()),
                    x == null || x.scrapes() == null ? "–" : x.scrapes().ok() + " / " + x.scrapes().failed(),
                    x == null || x.scrapes() == null ? "–"
                            : Table.num(x.scrapes().bytes() / 1024.0) + ", " + Table.num(x.scrapes().maxMillis()));
        }
        Table s = new Table("against off", "figure", "per round", "median", "pooled", "within 5 %");
        for (Setting setting : settings) {
            if (setting == Setting.OFF) continue;
            double[] rate = roundRatios(setting, Run::perSecond);
            double[] cpu = roundRatios(setting, Run::cpuMsPerUnlock);
            s.row(setting.label, "unlocks/s", list(rate), Table.num(median(rate)),
                    Table.num(pooled(setting, false) / pooled(Setting.OFF, false)), verdict(median(rate) >= 1 - ALLOWED));
            s.row(setting.label, "server CPU per unlock", list(cpu), Table.num(median(cpu)),
                    Table.num(pooled(setting, true) / pooled(Setting.OFF, true)), verdict(median(cpu) <= 1 + ALLOWED));
        }
        return "## 8. Cost of auditing and metrics\n\n"
                + "Our server alone, " + CLIENTS + " clients, concurrency " + CONCURRENCY + ", started fresh for each "
                + "run, in rounds of " + settings.stream().map(x -> x.label).toList() + " (" + pairs + " rounds): "
                + warmup.toSeconds() + " s of warm-up, then " + window.toSeconds() + " s measured. Off: no audit "
                + "sink (no journal, no syslog socket, no `audit_log`) and no metrics. On: audit records to the "
                + "journal (`INVOCATION_ID` set, `MANDOS_JOURNAL_SOCKET` at a receiver in the benchmark standing in "
                + "for journald) and to `--audit-log` (hash-chained, fdatasync before each release, on this "
                + "machine's disk), and `--metrics-address " + Servers.LISTEN_V4 + ":PORT` scraped every "
                + MetricsScraper.INTERVAL.toSeconds() + " s during the run, per-client series included. "
                + "CPU = server process over the measured window. Audit records and journal entries count "
                + "the whole run (warm-up and probe included).\n\n"
                + t.render() + '\n' + s.render() + '\n'
                + "Verdict on the median of the rounds' ratios; pooled = all runs of a setting against all off runs.\n\n";
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
