package org.mandosjava.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mandosjava.testing.PrivateSystemBus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mandos-bench} tool. {@code compare} runs the reboot-storm scenarios against our server
 * and the Debian Python server back to back and prints Markdown tables with ours/Python ratios.
 */
@Command(name = "mandos-bench", mixinStandardHelpOptions = true, subcommands = BenchMain.CompareCommand.class,
        description = "Benchmarks the Mandos server against the Python original (see BENCHMARKS.md).")
public final class BenchMain implements Callable<Integer> {

    /** Run by bin/mandos-bench with the server's jar and the test jar on the class path. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return new CommandLine(new BenchMain()).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 64;
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Run the reboot-storm scenarios 1-5, the hostile flood (6), the cold storm (7) and the cost of auditing and metrics (8) of BENCHMARKS.md against both servers (and the C floor server in 1 and 7) and print the tables.")
    static final class CompareCommand implements Callable<Integer> {
        @Option(names = "--quick", description = "about 10 minutes instead of about 30")
        boolean quick;

        @Option(names = "--only", paramLabel = "SERVER",
                description = "ours or python (default: both, and the C floor server where a scenario allows)")
        String only;

        @Option(names = "--scenarios", split = ",", paramLabel = "N",
                description = "subset of 1,2,3,4,5,6,7,8 (2 runs 1 too: it reuses its 1- and 5,000-client starts; "
                        + "6 is the hostile flood, 7 the cold storm, 8 the cost of auditing and metrics)")
        List<Integer> scenarios = List.of(1, 2, 3, 4, 5, 6, 7, 8);

        @Option(names = "--pairs", paramLabel = "N",
                description = "scenario 8: off/on runs of our server (default 4; quick 3)")
        Integer pairs;

        @Option(names = "--parts", description = "scenario 8: also run with the journal, the audit file and the "
                + "metrics each on alone, to see where the cost goes")
        boolean parts;

        @Option(names = "--no-floor", description = "leave out the C floor server (../shared/tools/floor-server)")
        boolean noFloor;

        @Option(names = "--clients", split = ",", paramLabel = "N",
                description = "scenario 1: configured client counts (default 1,50,500,5000; quick 1,500)")
        List<Integer> clientCounts;

        @Option(names = "--concurrency", split = ",", paramLabel = "N",
                description = "scenario 1: concurrency levels (default 1,16,64,256; quick 16,64)")
        List<Integer> concurrency;

        @Option(names = "--cell-seconds", paramLabel = "S", description = "scenario 1: seconds per cell")
        Integer cellSeconds;

        @Option(names = "--server-jvm-option", paramLabel = "OPT",
                description = "extra JVM option for our server, e.g. -XX:StartFlightRecording=filename=x.jfr")
        List<String> serverJvmOptions = new ArrayList<>();

        @Option(names = "--server-option", paramLabel = "OPT",
                description = "extra option for our server, e.g. --audit-log=/tmp/a.jsonl (audit and metrics cost)")
        List<String> serverOptions = new ArrayList<>();

        @Option(names = "--baseline", paramLabel = "FILE", description = "the previous run's figures for the "
                + "regression check (default: BENCHMARKS.json, the run BENCHMARKS.md reports; every run writes "
                + "its own to target/bench/last-run.json)")
        Path baseline;

        @Option(names = "--warmup", paramLabel = "S", description = "scenario 8: seconds of load before each "
                + "measured window (default 40; quick 5)")
        Integer warmupSeconds;

        @Option(names = "--server-cpus", paramLabel = "LIST", description = "run every server under test on these "
                + "CPUs (taskset -c LIST), e.g. 0 with the benchmark itself under taskset -c 1: the server's CPU is "
                + "then its own, not shared with the load generator")
        String serverCpus;

        @Option(names = "--no-aot-cache", description = "run our server without the AOT cache the package trains "
                + "at install (by default the benchmark trains one the same way, on JDK 25 and later)")
        boolean noAotCache;

        @Option(names = "--out", paramLabel = "FILE", description = "also write the report here")
        Path out;

        @Option(names = "--keep", description = "keep the run directory (configs, server logs)")
        boolean keep;

        @Override
        public Integer call() throws Exception {
            Plan plan = (quick ? Plan.quick() : Plan.full()).withGrid(clientCounts, concurrency,
                    cellSeconds == null ? null : java.time.Duration.ofSeconds(cellSeconds));
            Set<Integer> wanted = new LinkedHashSet<>(scenarios);
            Path runDir = Compare.createRunDir();
            System.err.println("mandos-bench: run directory " + runDir);
            Servers.serverCpus = serverCpus;
            if (warmupSeconds != null) OperationsCost.warmupOverride = java.time.Duration.ofSeconds(warmupSeconds);
            List<Servers.Kind> kinds = new ArrayList<>();
            PrivateSystemBus bus = null;
            try {
                if (only == null || only.equals("ours")) {
                    List<String> jna = PackagedOptions.jna(runDir);
                    List<String> jvm = new ArrayList<>(jna);
                    if (noAotCache) System.err.println("mandos-bench: our server runs without an AOT cache (--no-aot-cache)");
                    else PackagedOptions.train(runDir, jna, System.err).ifPresent(c -> jvm.add(PackagedOptions.aotCache(c)));
                    jvm.addAll(serverJvmOptions);
                    kinds.add(new Servers.Ours(jvm, serverOptions));
                }
                if (only == null || only.equals("python")) {
                    if (Files.isExecutable(Path.of(Servers.PYTHON_SERVER))) {
                        bus = PrivateSystemBus.start(runDir.resolve("bus"));
                        kinds.add(new Servers.Python(bus.address()));
                    } else {
                        System.err.println("mandos-bench: " + Servers.PYTHON_SERVER
                                + " is not installed (Debian package mandos): measuring ours only");
                    }
                }
                FloorServer.Built floor = floor(runDir, !noFloor && only == null);
                String report = new Compare(quick ? "quick" : "full", plan, runDir, kinds, floor, wanted, pairs, parts,
                        baseline != null ? baseline : Path.of(System.getProperty("mandos.home", "."), "BENCHMARKS.json"),
                        System.err)
                        .run();
                System.out.print(report);
                if (out != null) Files.writeString(out, report);
                return 0;
            } finally {
                if (bus != null) bus.close();
                if (!keep) deleteTree(runDir);
                else System.err.println("mandos-bench: kept " + runDir);
            }
        }
    }

    /** Built only here, when the benchmark runs with the floor column wanted: never by the project's build. */
    private static FloorServer.Built floor(Path runDir, boolean wanted) {
        if (!wanted) {
            return new FloorServer.Built(java.util.Optional.empty(), "not run: left out (--no-floor or --only)");
        }
        FloorServer.Built built = FloorServer.build(Path.of(System.getProperty("mandos.home", ".")), runDir);
        System.err.println("mandos-bench: floor server " + (built.problem() == null
                ? built.kind().orElseThrow().binary() : built.problem()));
        return built;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("mandos-bench: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
