package org.mandosjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * Runs the reboot-storm scenarios (BENCHMARKS.md) against our server and the Debian Python server, back
 * to back on this machine, and writes the tables with ours/Python ratios. Progress goes to
 * {@code progress}; the report is returned as Markdown.
 */
final class Compare {
    static final Duration IO_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration QUIESCE_LIMIT = Duration.ofSeconds(5);
    static final int WARMUP_CONCURRENCY = 16;
    /** Scenario 2's storm on the server that started with the most clients: one key per connection. */
    static final int BIG_STORM_CONCURRENCY = 64;
    /** A cell is extended until this many unlocks arrived (up to the plan's cap). */
    static final int MIN_UNLOCKS = 5;
    private static final int REAL_CLIENT_CONFIGURED = 50;
    private static final Duration REAL_CLIENT_LIMIT = Duration.ofSeconds(30);
    private static final Path MANDOS_CLIENT = Path.of("/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");

    private final Plan plan;
    private final Path runDir;
    private final List<Servers.Kind> kinds;
    private final Set<Integer> scenarios;
    private final PrintStream progress;
    private final SecureRandom random = new SecureRandom();
    private final StringBuilder report = new StringBuilder();
    private List<BenchClient> clients;

    /** Startup figures per server label and client count. */
    private final Map<String, Map<Integer, Startup>> startups = new HashMap<>();
    /** Scenario 1, once it ran. */
    private UnlockGrid grid;
    private final Map<String, CheckerFigures> checkerFigures = new HashMap<>();
    private final Map<String, StormFigures> stormFigures = new HashMap<>();
    /** Scenario 2: a storm on the server started with the most clients, per server label. */
    private final Map<String, Cell> bigStorms = new HashMap<>();
    /** The C floor server, a third column where a scenario needs no checkers, D-Bus or approval. */
    private final FloorServer.Built floor;
    private ColdStorm coldStorm;

    private final String mode;
    /** Scenario 8's off/on pairs, or null for the mode's default; with each part on alone too. */
    private final Integer operationsPairs;
    private final boolean operationsParts;
    private OperationsCost operationsCost;

    /** The previous run's figures for the regression check (BENCHMARKS.json unless told otherwise). */
    private final Path baseline;
    private List<Regressions.Row> regressions = List.of();

    Compare(String mode, Plan plan, Path runDir, List<Servers.Kind> kinds, FloorServer.Built floor,
            Set<Integer> scenarios, Integer operationsPairs, boolean operationsParts, Path baseline,
            PrintStream progress) {
        this.operationsParts = operationsParts;
        this.mode = mode;
        this.baseline = baseline;
        this.operationsPairs = operationsPairs;
        this.floor = floor;
        this.plan = plan;
        this.runDir = runDir;
        this.kinds = kinds;
        this.scenarios = scenarios;
        this.progress = progress;
    }

    record Startup(Duration toFirstUnlock, String failure, long pssBytes, long rssBytes) {
        boolean ok() {
            return failure == null;
        }
    }

    /**
     * One cell of scenario 1; {@code configured} clients were configured (at least its concurrency).
     *
     * @param cpuSeconds the server's process tree over the cell
     * @param jitSeconds of {@code cpuSeconds}, what a JVM server's JIT compiler threads used (0 for the others)
     */
    record Cell(LoadGenerator.Result result, double cpuSeconds, double jitSeconds, TreeSampler.Peaks peaks, String note,
            int configured) {
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

    record CheckerFigures(int runs, double expectedRuns, double treeCpu, double serverCpu, LatencyStats jitter,
            int busiestSecond, String note) {}

    record StormFigures(LoadGenerator.Result result, TreeSampler.Peaks peaks, String note) {}

    String run() throws IOException, InterruptedException {
        String started = now();
        report.append(MachineInfo.describe(mode));
        for (Servers.Kind kind : kinds) {
            if (kind instanceof Servers.Ours ours) {
                report.append("- our server: bin/server-jvm-options, bin/server-heap, then ")
                        .append(ours.extraJvmOptions().isEmpty() ? "nothing more" : String.join(" ", ours.extraJvmOptions()))
                        .append('\n');
            }
        }
        if (Servers.serverCpus != null) {
            report.append("- every server under test runs on CPU ").append(Servers.serverCpus)
                    .append(" (taskset); the benchmark (load generator, journal receiver, scraper) on CPU ")
                    .append(MachineInfo.allowedCpus()).append('\n');
        }
        report.append('\n');
        int needed = Math.max(Math.max(WARMUP_CONCURRENCY, ColdStorm.CONCURRENCY), BIG_STORM_CONCURRENCY);
        if (scenarios.contains(1) || scenarios.contains(2)) {
            needed = Math.max(needed, Math.max(plan.maxClients(), plan.maxConcurrency()));
        }
        if (scenarios.contains(4)) needed = Math.max(needed, plan.stormConnections() + 1);
        if (scenarios.contains(5)) needed = Math.max(needed, REAL_CLIENT_CONFIGURED);
        if (scenarios.contains(8)) needed = Math.max(needed, OperationsCost.CLIENTS);
        progress.printf("generating %d Ed25519 client keys%n", needed);
        clients = BenchClient.generate(needed, random);
        warmGenerator();
        if (scenarios.contains(1) || scenarios.contains(2)) unlocks();
        if (scenarios.contains(2)) startup();
        if (scenarios.contains(3)) checkers();
        if (scenarios.contains(4)) storm();
        if (scenarios.contains(5)) realClient();
        if (scenarios.contains(6)) report.append(FloodScenario.forMode(mode, runDir, kinds, progress).run());
        if (scenarios.contains(7)) {
            coldStorm = new ColdStorm(this, mode, withFloor(), clients, runDir, progress);
            report.append(coldStorm.run());
            if (floor.problem() != null) report.append("floor: ").append(floor.problem()).append("\n\n");
        }
        if (scenarios.contains(8)) runOperationsCost();
        report.append(Targets.evaluate(this)).append('\n');
        RunRecord thisRun = RunRecord.of(this, mode, started);
        regressions = compareWithBaseline(thisRun);
        report.append(FootprintTargets.evaluate(this)).append('\n');
        Path lastRun = lastRunFile();
        thisRun.write(lastRun);
        progress.println("mandos-bench: this run's figures are in " + lastRun);
        return report.toString();
    }

    /**
     * The load generator shares the CPUs with the server under test: while its own JIT is still
     * compiling, the first cells would be slower for whichever server goes first. Warm it on a
     * throwaway server of the first kind, unmeasured.
     */
    private void warmGenerator() throws IOException, InterruptedException {
        Path config = runDir.resolve("warm-generator");
        new ClientsConfWriter().write(config, clients.subList(0, WARMUP_CONCURRENCY), 0, null, random);
        Servers.Kind kind = kinds.get(0);
        progress.printf("warming up the load generator against %s for %d s%n", kind.label(),
                plan.warmup().multipliedBy(2).toSeconds());
        try (Servers.Running server = launch(kind, config, "warm-generator")) {
            if (awaitReady(server, clients.get(0), startupLimit(kind)).ok()) {
                new LoadGenerator(server.address(), IO_TIMEOUT).closedLoop(clients.subList(0, WARMUP_CONCURRENCY),
                        WARMUP_CONCURRENCY, plan.warmup().multipliedBy(2));
            }
        }
    }

    private void runOperationsCost() throws IOException, InterruptedException {
        Servers.Ours ours = ours();
        if (ours == null) {
            report.append("## 8. Cost of auditing and metrics\n\nnot run: it measures our server (--only python)\n\n");
            return;
        }
        operationsCost = OperationsCost.forMode(mode, this, ours, clients, runDir, progress, operationsPairs,
                operationsParts);
        report.append(operationsCost.run());
    }

    /** Our server among the kinds measured, or null (--only python). */
    private Servers.Ours ours() {
        for (Servers.Kind kind : kinds) {
            if (kind instanceof Servers.Ours ours) return ours;
        }
        return null;
    }

    /** Where every run leaves its figures: target/bench/last-run.json of the project. */
    static Path lastRunFile() {
        return Path.of(System.getProperty("mandos.home", "."), "target", "bench", "last-run.json");
    }

    private List<Regressions.Row> compareWithBaseline(RunRecord thisRun) {
        String target = "no regression > 5 % in throughput, p99, approval storm";
        if (baseline == null || !Files.isRegularFile(baseline)) {
            return List.of(new Regressions.Row(target, "no previous run's figures (" + baseline + ")", "not evaluated"));
        }
        try {
            return Regressions.evaluate(thisRun, RunRecord.read(baseline), baseline.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return List.of(new Regressions.Row(target, "cannot read " + baseline + ": " + e.getMessage(),
                    "not evaluated"));
        }
    }

    List<Regressions.Row> regressions() {
        return regressions;
    }

    OperationsCost operationsCost() {
        return operationsCost;
    }

    /** The servers of the scenarios a floor server can take part in: ours, Python's, and the floor. */
    private List<Servers.Kind> withFloor() {
        List<Servers.Kind> all = new ArrayList<>(kinds);
        floor.kind().ifPresent(all::add);
        return all;
    }

    // ---------------------------------------------------------------- scenario 1

    private void unlocks() throws IOException, InterruptedException {
        grid = new UnlockGrid(this, plan, withFloor(), clients, runDir, random, progress, floor.problem());
        report.append(grid.run());
    }

    /** Scenario 1's start with exactly {@code count} clients, for the startup table. */
    void recordStartup(String label, int count, Startup st) {
        startups.computeIfAbsent(label, k -> new TreeMap<>()).put(count, st);
    }

    Cell cellOf(String label, int count, int c) {
        return grid == null ? null : grid.cellOf(label, count, c);
    }

    static int configuredFor(int count, int concurrency) {
        return UnlockGrid.configuredFor(count, concurrency);
    }

    static String rowLabel(int count, int concurrency) {
        return UnlockGrid.rowLabel(count, concurrency);
    }

    Startup startupOf(String label, int count) {
        return startups.getOrDefault(label, Map.of()).get(count);
    }

    /** Scenario 2's storm with {@link Plan#bigStartupClients()} configured, or null. */
    Cell bigStormOf(String label) {
        return bigStorms.get(label);
    }

    CheckerFigures checkersOf(String label) {
        return checkerFigures.get(label);
    }

    ColdStorm coldStorm() {
        return coldStorm;
    }

    StormFigures stormOf(String label) {
        return stormFigures.get(label);
    }

    Plan plan() {
        return plan;
    }

    // ---------------------------------------------------------------- scenario 2

    private void startup() throws IOException, InterruptedException {
        int big = plan.bigStartupClients();
        Path config = runDir.resolve("s2-" + big);
        progress.printf("[2] writing clients.conf with %d clients%n", big);
        int storm = Math.min(BIG_STORM_CONCURRENCY, big);
        new ClientsConfWriter().write(config, clients.subList(0, storm), big - storm, null, random);
        for (Servers.Kind kind : kinds) {
            if (kind instanceof Servers.Python && !plan.pythonBigStartup()) {
                startups.computeIfAbsent(kind.label(), k -> new TreeMap<>())
                        .put(big, new Startup(null, "not run in --quick mode", -1, -1));
                continue;
            }
            progress.printf("[2] %s, %d clients: starting%n", kind.label(), big);
            try (Servers.Running server = launch(kind, config, "s2-" + big);
                    TreeSampler sampler = new TreeSampler(server.pid(), server::close)) {
                Startup st = awaitReady(server, clients.get(0), startupLimit(kind));
                startups.computeIfAbsent(kind.label(), k -> new TreeMap<>()).put(big, st);
                progress.printf("[2] %s, %d clients: %s%n", kind.label(), big,
                        st.ok() ? Table.ms(st.toFirstUnlock().toNanos()) + " ms" : st.failure());
                if (st.ok()) {
                    sampler.reset();
                    ProcessTree.Snapshot before = ProcessTree.sample(server.pid(), false);
                    double jitBefore = JitCpu.seconds(server.pid());
                    LoadGenerator.Result r = new LoadGenerator(server.address(), IO_TIMEOUT)
                            .closedLoop(clients.subList(0, storm), storm, plan.cell(), MIN_UNLOCKS, plan.cellCap());
                    ProcessTree.Snapshot after = ProcessTree.sample(server.pid(), false);
                    double jit = JitCpu.seconds(server.pid()) - jitBefore;
                    TreeSampler.Peaks peaks = sampler.peaks();
                    bigStorms.put(kind.label(), new Cell(r, after.cpuSeconds() - before.cpuSeconds(), jit, peaks,
                            peaks.memoryLow() ? "stopped: machine memory low" : null, big));
                    progress.printf("[2] %s, %d clients, storm of %d: %s/s, p99 %s ms, peak PSS %s MB%n",
                            kind.label(), big, storm, Table.num(r.perSecond()), Table.ms(r.latency().p99()),
                            Table.mb(peaks.pssBytes()));
                }
            }
        }
        Startup onBus = startupOnBus(config, big);
        Table t = new Table("clients", "to first unlock ours", "python", "ratio", "PSS after start MB ours", "python",
                "ratio", "RSS MB ours", "python");
        Set<Integer> counts = new java.util.TreeSet<>();
        startups.values().forEach(m -> counts.addAll(m.keySet()));
        for (int count : counts) {
            Startup o = startupOf("ours", count);
            Startup p = startupOf("python", count);
            t.row(Integer.toString(count), startTime(o), startTime(p),
                    Table.ratio(seconds(o), seconds(p)), startMem(o, true), startMem(p, true),
                    Table.ratio(memValue(o), memValue(p)), startMem(o, false), startMem(p, false));
        }
        report.append("## 2. Startup\n\n")
                .append("From process start until the first secret is delivered to a probe (so \"listening\" with ")
                .append("clients not yet loaded does not count), and memory right after. Limits: ours ")
                .append(plan.startupLimitOurs().toSeconds()).append(" s, Python ")
                .append(plan.startupLimitPython().toSeconds()).append(" s.\n\n")
                .append(t.render()).append('\n');
        if (onBus != null) {
            report.append("Every server here runs with `--no-dbus`; D-Bus is the default. Ours with ").append(big)
                    .append(" clients and its D-Bus API on a private bus daemon (which it announces them to, ")
                    .append("three signals each, in the background): to first unlock ").append(startTime(onBus))
                    .append(", PSS after start ").append(startMem(onBus, true)).append(" MB.\n\n");
        }
        Table b = new Table("storm of " + storm + " with " + big + " clients", "unlocks/s", "p50 / p99 ms",
                "CPU ms/unlock", "of it JIT", "failed (abandoned)", "peak PSS MB", "peak RSS MB");
        for (var e : new TreeMap<>(bigStorms).entrySet()) {
            Cell c = e.getValue();
            b.row(e.getKey(), UnlockGrid.rate(c), UnlockGrid.percentiles(c), UnlockGrid.cpu(c), UnlockGrid.jit(c),
                    UnlockGrid.failures(c),
                    UnlockGrid.mem(c),
                    c.peaks() == null ? "–" : Table.mb(c.peaks().rssBytes()));
        }
        if (!bigStorms.isEmpty()) {
            report.append("Then, on the same server, a closed loop of ").append(storm).append(" connections (")
                    .append(storm).append(" of the clients have keys the load generator knows, one per connection) for ")
                    .append(plan.cell().toSeconds()).append(" s: its memory with that many clients under load.\n\n")
                    .append(b.render()).append('\n');
        }
    }

    /**
     * Our server's start with {@code count} clients and D-Bus on, on a bus daemon of its own; null
     * (with the reason in the progress log) when ours is not measured or there is no dbus-daemon.
     */
    private Startup startupOnBus(Path config, int count) throws IOException, InterruptedException {
        Servers.Ours ours = ours();
        if (ours == null) return null;
        if (!Files.isExecutable(org.mandosjava.testing.Peers.DBUS_DAEMON)) {
            progress.println("[2] ours with D-Bus not measured: no " + org.mandosjava.testing.Peers.DBUS_DAEMON);
            return new Startup(null, "not measured (no dbus-daemon)", -1, -1);
        }
        try (PrivateSystemBus bus = PrivateSystemBus.start(runDir.resolve("bus-s2"))) {
            Servers.Kind kind = ours.onBus(bus.address());
            progress.printf("[2] %s, %d clients: starting%n", kind.label(), count);
            try (Servers.Running server = launch(kind, config, "s2-" + count)) {
                Startup st = awaitReady(server, clients.get(0), startupLimit(ours));
                progress.printf("[2] %s, %d clients: %s%n", kind.label(), count,
                        st.ok() ? Table.ms(st.toFirstUnlock().toNanos()) + " ms" : st.failure());
                return st;
            }
        } catch (IllegalStateException e) { // the bus daemon did not start
            progress.println("[2] ours with D-Bus not measured: " + e.getMessage());
            return new Startup(null, "not measured: " + e.getMessage(), -1, -1);
        }
    }

    private static String startTime(Startup s) {
        if (s == null) return "–";
        return s.ok() ? Table.num(s.toFirstUnlock().toNanos() / 1e9) + " s" : s.failure();
    }

    private static double seconds(Startup s) {
        return s == null || !s.ok() ? Double.NaN : s.toFirstUnlock().toNanos() / 1e9;
    }

    private static double memValue(Startup s) {
        return s == null || !s.ok() ? Double.NaN : s.pssBytes();
    }

    private static String startMem(Startup s, boolean pss) {
        if (s == null || !s.ok()) return "–";
        return Table.mb(pss ? s.pssBytes() : s.rssBytes());
    }

    // ---------------------------------------------------------------- scenario 3

    private void checkers() throws IOException, InterruptedException {
        Path config = runDir.resolve("s3");
        Files.createDirectories(config);
        double shTicks = ShellCost.ticksPerRun(runDir.resolve("s3-sh-cost"));
        try (CheckerLog log = CheckerLog.create(runDir.resolve("checker-runs.log"))) {
            new ClientsConfWriter()
                    .defaultOption("checker", log.checkerCommand())
                    .defaultOption("interval", "PT" + plan.checkerInterval().toSeconds() + "S")
                    .write(config, clients.subList(0, 1), plan.checkerClients() - 1, null, random);
            for (Servers.Kind kind : kinds) {
                progress.printf("[3] %s, %d clients with checkers: starting%n", kind.label(), plan.checkerClients());
                try (Servers.Running server = launch(kind, config, "s3")) {
                    log.startWindow();
                    Startup st = awaitCheckersOrUnlock(server, log, clients.get(0), startupLimit(kind));
                    if (!st.ok()) {
                        checkerFigures.put(kind.label(), new CheckerFigures(0, 0, 0, 0, LatencyStats.EMPTY, 0,
                                st.failure()));
                        continue;
                    }
                    log.startWindow();
                    long windowStart = System.nanoTime();
                    ProcessTree.Snapshot before = ProcessTree.sample(server.pid(), false);
                    Thread.sleep(plan.checkerWindow());
                    ProcessTree.Snapshot after = ProcessTree.sample(server.pid(), false);
                    checkerFigures.put(kind.label(), checkerFigures(log.runs(), windowStart,
                            after.cpuSeconds() - before.cpuSeconds(), shTicks));
                    CheckerFigures f = checkerFigures.get(kind.label());
                    progress.printf("[3] %s: %d checker runs, tree CPU %s s%n", kind.label(), f.runs(),
                            Table.num(f.treeCpu()));
                }
            }
        }
        Table t = new Table("figure", "ours", "python", "ratio");
        CheckerFigures o = checkerFigures.get("ours");
        CheckerFigures p = checkerFigures.get("python");
        t.row("checker runs in window (expected ≈)", checkerRuns(o), checkerRuns(p), "–");
        t.row("server tree CPU s, checkers included", checkerCpu(o, true), checkerCpu(p, true),
                Table.ratio(o == null ? Double.NaN : o.treeCpu(), p == null ? Double.NaN : p.treeCpu()));
        t.row("server CPU s, minus /bin/sh per run", checkerCpu(o, false), checkerCpu(p, false),
                Table.ratio(serverCpu(o), serverCpu(p)));
        t.row("interval jitter p50/p99/max ms", jitter(o), jitter(p), "–");
        t.row("most checker starts in one second", busiest(o), busiest(p), "–");
        report.append("## 3. Checkers\n\n")
                .append(plan.checkerClients()).append(" clients, `checker` = dash's built-in `echo NAME >> FILE` (file polled every ")
                .append(CheckerLog.POLL_MILLIS).append(" ms), ")
                .append("`interval = PT").append(plan.checkerInterval().toSeconds()).append("S`, measured for ")
                .append(plan.checkerWindow().toSeconds()).append(" s once the server is up (first checker run or unlock). One `/bin/sh` run ")
                .append("was measured at ").append(Table.num(shTicks * 10)).append(" ms CPU here and is ")
                .append("subtracted per run. Jitter = |gap between two runs of one client − interval|.\n\n")
                .append(t.render()).append('\n');
        for (var e : new TreeMap<>(checkerFigures).entrySet()) {
            if (e.getValue().note() != null) report.append("- ").append(e.getKey()).append(": ")
                    .append(e.getValue().note()).append('\n');
        }
        report.append('\n');
    }

    /**
     * Up when a checker has run or a probe got its secret: a server busy starting a thousand checkers
     * may take longer to answer a connection than to show that it is scheduling them.
     */
    private Startup awaitCheckersOrUnlock(Servers.Running server, CheckerLog log, BenchClient probe, Duration limit)
            throws InterruptedException {
        long deadline = server.startedNanos() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) {
                return new Startup(null, "exited with status " + server.process().exitValue() + " (see logs)", -1, -1);
            }
            if (!log.runs().isEmpty()) return new Startup(Duration.ofNanos(System.nanoTime() - server.startedNanos()),
                    null, -1, -1);
            try {
                byte[] secret = new LoadGenerator(server.address(), Duration.ofSeconds(2)).fetchOnce(probe);
                if (Arrays.equals(secret, probe.secret())) {
                    return new Startup(Duration.ofNanos(System.nanoTime() - server.startedNanos()), null, -1, -1);
                }
            } catch (IOException e) {
                // Not up yet.
            }
            Thread.sleep(50);
        }
        return new Startup(null, "neither a checker run nor an unlock within " + limit.toSeconds() + " s", -1, -1);
    }

    private CheckerFigures checkerFigures(Map<String, List<Long>> runs, long windowStart, double treeCpu,
            double shTicks) {
        long interval = plan.checkerInterval().toNanos();
        List<Long> jitters = new ArrayList<>();
        Map<Long, Integer> perSecond = new HashMap<>();
        int total = 0;
        for (List<Long> times : runs.values()) {
            total += times.size();
            for (int i = 0; i < times.size(); i++) {
                perSecond.merge((times.get(i) - windowStart) / 1_000_000_000L, 1, Integer::sum);
                if (i > 0) jitters.add(Math.abs(times.get(i) - times.get(i - 1) - interval));
            }
        }
        double expected = plan.checkerClients() * (double) plan.checkerWindow().toNanos() / interval;
        double serverCpu = treeCpu - total * shTicks / ProcStat.TICKS_PER_SECOND;
        String note = total == 0 ? "no checker ran: not supported yet (checkers are not implemented)" : null;
        return new CheckerFigures(total, expected, treeCpu, serverCpu,
                LatencyStats.of(jitters.stream().mapToLong(Long::longValue).toArray()),
                perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0), note);
    }

    private static String checkerRuns(CheckerFigures f) {
        return f == null ? "–" : f.runs() + " (" + Table.num(f.expectedRuns()) + ")";
    }

    private static String checkerCpu(CheckerFigures f, boolean tree) {
        if (f == null) return "–";
        return Table.num(tree ? f.treeCpu() : f.serverCpu());
    }

    private static double serverCpu(CheckerFigures f) {
        return f == null || f.runs() == 0 ? Double.NaN : f.serverCpu();
    }

    private static String jitter(CheckerFigures f) {
        if (f == null || f.jitter().count() == 0) return "–";
        return Table.ms(f.jitter().p50()) + " / " + Table.ms(f.jitter().p99()) + " / " + Table.ms(f.jitter().max());
    }

    private static String busiest(CheckerFigures f) {
        return f == null || f.runs() == 0 ? "–" : Integer.toString(f.busiestSecond());
    }

    // ---------------------------------------------------------------- scenario 4

    private void storm() throws IOException, InterruptedException {
        int n = plan.stormConnections();
        Duration delay = plan.approvalDelay();
        Path config = runDir.resolve("s4");
        BenchClient probe = clients.get(n);
        String probeSection = ClientsConfWriter.sectionText(probe, Map.of("approval_delay", "PT0S"), random);
        new ClientsConfWriter()
                .defaultOption("approval_delay", "PT" + delay.toSeconds() + "S")
                .defaultOption("approved_by_default", "true")
                .defaultOption("approval_duration", "PT1S")
                .write(config, clients.subList(0, n), 0, probeSection, random);
        for (Servers.Kind kind : kinds) {
            progress.printf("[4] %s: %d connections waiting for approval%n", kind.label(), n);
            try (Servers.Running server = launch(kind, config, "s4");
                    TreeSampler sampler = new TreeSampler(server.pid(), server::close)) {
                Startup st = awaitReady(server, probe, startupLimit(kind));
                if (!st.ok()) {
                    stormFigures.put(kind.label(), new StormFigures(null, null, st.failure()));
                    continue;
                }
                quiesce(server);
                sampler.reset();
                LoadGenerator gen = new LoadGenerator(server.address(), plan.stormLimit().plus(delay));
                LoadGenerator.Result r = gen.burst(clients.subList(0, n), plan.stormLimit().plus(delay));
                TreeSampler.Peaks peaks = sampler.peaks();
                String note = null;
                if (peaks.memoryLow()) note = "stopped: the machine's available memory fell below "
                        + (TreeSampler.MIN_MEM_AVAILABLE >> 30) + " GiB";
                else if (r.unlocks() > 0 && r.latency().min() < delay.toNanos() * 9 / 10) {
                    note = "not yet supported: approval_delay is not honoured (secrets sent at once), so this "
                            + "measures a burst of " + n + " plain unlocks, not a wait";
                }
                stormFigures.put(kind.label(), new StormFigures(r, peaks, note));
                progress.printf("[4] %s: %d unlocks, last after %s s, %d failed, %d abandoned%n", kind.label(),
                        r.unlocks(), Table.num(r.window().toNanos() / 1e9), r.failureCount(), r.abandoned());
            }
        }
        Table t = new Table("figure", "ours", "python", "ratio");
        StormFigures o = stormFigures.get("ours");
        StormFigures p = stormFigures.get("python");
        t.row("secrets delivered", storm(o, f -> Long.toString(f.result().unlocks())),
                storm(p, f -> Long.toString(f.result().unlocks())), "–");
        t.row("failed (abandoned)", storm(o, f -> f.result().failureCount() + " (" + f.result().abandoned() + ")"),
                storm(p, f -> f.result().failureCount() + " (" + f.result().abandoned() + ")"), "–");
        t.row("time to last secret s", storm(o, f -> Table.num(f.result().window().toNanos() / 1e9)),
                storm(p, f -> Table.num(f.result().window().toNanos() / 1e9)),
                Table.ratio(stormValue(o, f -> f.result().window().toNanos()), stormValue(p, f -> f.result().window().toNanos())));
        t.row("min / p50 / max latency s", storm(o, Compare::stormLatency), storm(p, Compare::stormLatency), "–");
        t.row("peak PSS MB (tree)", storm(o, f -> Table.mb(f.peaks().pssBytes())),
                storm(p, f -> Table.mb(f.peaks().pssBytes())),
                Table.ratio(stormValue(o, f -> f.peaks().pssBytes()), stormValue(p, f -> f.peaks().pssBytes())));
        t.row("peak RSS MB (sum over tree)", storm(o, f -> Table.mb(f.peaks().rssBytes())),
                storm(p, f -> Table.mb(f.peaks().rssBytes())), "–");
        t.row("peak OS threads / processes", storm(o, f -> f.peaks().threads() + " / " + f.peaks().processes()),
                storm(p, f -> f.peaks().threads() + " / " + f.peaks().processes()), "–");
        report.append("## 4. Approval storm\n\n")
                .append(n).append(" clients connect at once; each has `approval_delay = PT").append(delay.toSeconds())
                .append("S` and `approved_by_default = true`, so every connection waits the full delay and is then ")
                .append("released by the timeout (no D-Bus control plane needed). Ideal time to last secret: the ")
                .append("delay plus the time to accept and handshake all of them.\n\n")
                .append(t.render()).append('\n');
        for (var e : new TreeMap<>(stormFigures).entrySet()) {
            StormFigures f = e.getValue();
            if (f.note() != null) report.append("- ").append(e.getKey()).append(": ").append(f.note()).append('\n');
            if (f.result() != null && !f.result().failures().isEmpty()) {
                report.append("- ").append(e.getKey()).append(" failures: ").append(f.result().failures()).append('\n');
            }
        }
        report.append('\n');
    }

    private static String storm(StormFigures f, java.util.function.Function<StormFigures, String> show) {
        if (f == null) return "–";
        if (f.result() == null) return f.note();
        return show.apply(f);
    }

    private static double stormValue(StormFigures f, java.util.function.ToDoubleFunction<StormFigures> value) {
        return f == null || f.result() == null ? Double.NaN : value.applyAsDouble(f);
    }

    private static String stormLatency(StormFigures f) {
        LatencyStats l = f.result().latency();
        if (l.count() == 0) return "–";
        return Table.num(l.min() / 1e9) + " / " + Table.num(l.p50() / 1e9) + " / " + Table.num(l.max() / 1e9);
    }

    // ---------------------------------------------------------------- scenario 5

    private void realClient() throws IOException, InterruptedException {
        Table t = new Table("server", "runs", "ok", "min s", "median s", "max s");
        Map<String, List<Long>> times = new LinkedHashMap<>();
        if (!Files.isExecutable(MANDOS_CLIENT) || !Files.isExecutable(Path.of("/usr/sbin/mandos-keygen"))) {
            report.append("## 5. Real mandos-client\n\nnot run: mandos-client or mandos-keygen is not installed\n\n");
            return;
        }
        progress.println("[5] mandos-keygen: generating OpenPGP and TLS keys");
        String password = "bench-" + Long.toHexString(random.nextLong());
        RealClientKeys realKeys = RealClientKeys.generate(runDir, "s5", password);
        Path keys = realKeys.dir();
        String section = realKeys.section();
        Path config = runDir.resolve("s5");
        new ClientsConfWriter().write(config, clients.subList(0, REAL_CLIENT_CONFIGURED), 0, "\n" + section + "\n",
                random);
        Path hooks = Files.createDirectories(runDir.resolve("s5-hooks"));
        for (Servers.Kind kind : kinds) {
            progress.printf("[5] %s: %d real mandos-client runs against a warm server%n", kind.label(),
                    plan.realClientRuns());
            List<Long> ok = new ArrayList<>();
            try (Servers.Running server = launch(kind, config, "s5")) {
                Startup st = awaitReady(server, clients.get(0), startupLimit(kind));
                if (!st.ok()) {
                    t.row(kind.label(), "0", "0", st.failure(), "–", "–");
                    continue;
                }
                new LoadGenerator(server.address(), IO_TIMEOUT)
                        .closedLoop(clients.subList(0, REAL_CLIENT_CONFIGURED), WARMUP_CONCURRENCY, plan.warmup());
                quiesce(server);
                for (int i = 0; i < plan.realClientRuns(); i++) {
                    List<String> cmd = List.of("timeout", "--kill-after=5",
                            Long.toString(REAL_CLIENT_LIMIT.toSeconds()), MANDOS_CLIENT.toString(),
                            "--interface=none", "--connect=" + Servers.LISTEN_V4 + ":" + server.address().getPort(),
                            "--pubkey=" + keys.resolve("pubkey.txt"), "--seckey=" + keys.resolve("seckey.txt"),
                            "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"),
                            "--tls-privkey=" + keys.resolve("tls-privkey.pem"), "--network-hook-dir=" + hooks);
                    long t0 = System.nanoTime();
                    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    byte[] out = p.getInputStream().readAllBytes();
                    p.waitFor(REAL_CLIENT_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
                    long elapsed = System.nanoTime() - t0;
                    if (new String(out, StandardCharsets.UTF_8).equals(password)) ok.add(elapsed);
                }
            }
            times.put(kind.label(), ok);
            long[] sorted = ok.stream().mapToLong(Long::longValue).sorted().toArray();
            t.row(kind.label(), Integer.toString(plan.realClientRuns()), Integer.toString(sorted.length),
                    sorted.length == 0 ? "–" : Table.num(sorted[0] / 1e9),
                    sorted.length == 0 ? "–" : Table.num(LatencyStats.rank(sorted, 50) / 1e9),
                    sorted.length == 0 ? "–" : Table.num(sorted[sorted.length - 1] / 1e9));
        }
        report.append("## 5. Real mandos-client\n\n")
                .append("Process start to password on stdout, Debian `mandos-client` (RSA-4096 OpenPGP keys and an ")
                .append("Ed25519 TLS key from `mandos-keygen`), against a server with ").append(REAL_CLIENT_CONFIGURED)
                .append(" other clients after a ").append(plan.warmup().toSeconds())
                .append(" s warm-up; runs one after another.\n\n").append(t.render()).append('\n');
        List<Long> o = times.get("ours");
        List<Long> p = times.get("python");
        if (o != null && p != null && !o.isEmpty() && !p.isEmpty()) {
            report.append("Median ours/python: ").append(Table.ratio(median(o), median(p))).append("\n\n");
        }
    }

    private static double median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return LatencyStats.rank(sorted, 50);
    }

    // ---------------------------------------------------------------- plumbing

    Duration startupLimit(Servers.Kind kind) {
        return kind instanceof Servers.Python ? plan.startupLimitPython() : plan.startupLimitOurs();
    }

    /** Starts a server on a config directory; its state dir belongs to the account it drops to. */
    Servers.Running launch(Servers.Kind kind, Path config, String tag) throws IOException {
        Path state = Files.createDirectories(runDir.resolve("state-" + tag + "-" + kind.label()));
        giveToServerAccount(state);
        Path logs = Files.createDirectories(runDir.resolve("logs"));
        return Servers.start(kind, config, state, logs.resolve(tag + "-" + kind.label() + ".log"));
    }

    static void giveToServerAccount(Path dir) {
        try {
            UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("_mandos");
            Files.setOwner(dir, user);
        } catch (IOException | UnsupportedOperationException e) {
            // Not root, or no such account: the server runs as us and can write it anyway.
        }
    }

    /** Until a probe gets its secret; the time is from process start. */
    Startup awaitReady(Servers.Running server, BenchClient probe, Duration limit) throws InterruptedException {
        long deadline = server.startedNanos() + limit.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) {
                return new Startup(null, "exited with status " + server.process().exitValue() + " (see logs)", -1, -1);
            }
            long left = Math.max(1_000_000_000L, deadline - System.nanoTime());
            try {
                byte[] secret = new LoadGenerator(server.address(), Duration.ofNanos(left)).fetchOnce(probe);
                if (Arrays.equals(secret, probe.secret())) {
                    Duration took = Duration.ofNanos(System.nanoTime() - server.startedNanos());
                    ProcessTree.Snapshot s = ProcessTree.sample(server.pid(), true);
                    return new Startup(took, null, s.pssBytes(), s.rssBytes());
                }
                lastProblem = secret.length == 0 ? "refused the probe" : "wrong secret";
            } catch (ConnectException e) {
                lastProblem = "not listening";
            } catch (IOException e) {
                lastProblem = LoadGenerator.reason(e);
            }
            Thread.sleep(10);
        }
        return new Startup(null, "no unlock within " + limit.toSeconds() + " s (" + lastProblem + ")", -1, -1);
    }

    /** Waits until the forked children of the last cell are gone, so they are not billed to the next. */
    static void quiesce(Servers.Running server) throws InterruptedException {
        long deadline = System.nanoTime() + QUIESCE_LIMIT.toNanos();
        while (System.nanoTime() < deadline && ProcessTree.members(server.pid()).size() > 1) {
            Thread.sleep(20);
        }
    }


    static Path createRunDir() throws IOException {
        Path dir = Files.createTempDirectory("mandos-bench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return dir;
    }

    static String now() {
        return Instant.now().toString();
    }
}
