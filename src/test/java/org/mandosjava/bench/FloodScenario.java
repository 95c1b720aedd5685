package org.mandosjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 6, hostile flood: while 127.0.0.2 floods the server with {@link HostileFlood}'s five kinds
 * of connection, the real Debian mandos-client fetches its password from [::1] over and over; the
 * table gives its fetch times, before and under the flood, for each server. Both servers listen on
 * {@code ::} for this (dual-stack), so the flood and the client come from different addresses.
 */
final class FloodScenario {
    private static final Path MANDOS_CLIENT = Path.of("/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");
    private static final InetAddress FLOOD_FROM = loopback("127.0.0.2");
    private static final int CONNECTS_PER_SECOND = 2000;
    private static final Duration FETCH_LIMIT = Duration.ofSeconds(20);
    private static final Duration READY_LIMIT = Duration.ofSeconds(90);
    private static final Duration COLD = Duration.ofSeconds(10);
    private static final int QUIET_FETCHES = 5;

    private final Path runDir;
    private final List<Servers.Kind> kinds;
    private final PrintStream progress;
    private final int perKind;
    private final Duration window;

    /**
     * @param perKind connection slots of each hostile kind; every connection the Python server holds
     *     is a process of its own, so this is also how many processes it may fork per kind
     * @param window how long fetches are timed under the flood, after {@link #COLD}
     */
    FloodScenario(Path runDir, List<Servers.Kind> kinds, PrintStream progress, int perKind, Duration window) {
        this.runDir = runDir;
        this.kinds = kinds;
        this.progress = progress;
        this.perKind = perKind;
        this.window = window;
    }

    /**
     * 1,000 slots of each kind for both servers: the Python server forks a process for each
     * connection it holds, and 25,000 of them would not fit this machine beside the others' work.
     * FloodIT floods ours with 5,000 of each.
     */
    static FloodScenario forMode(String mode, Path runDir, List<Servers.Kind> kinds, PrintStream progress) {
        return new FloodScenario(runDir, kinds, progress, 1000,
                Duration.ofSeconds("quick".equals(mode) ? 20 : 30));
    }

    /** The same server, listening on every address instead of loopback only. */
    private record Anywhere(Servers.Kind inner) implements Servers.Kind {
        @Override public String label() {
            return inner.label();
        }

        @Override public List<String> command(Path configDir, Path stateDir, int port) {
            List<String> cmd = new ArrayList<>(inner.command(configDir, stateDir, port));
            int i = cmd.indexOf("--address");
            if (i >= 0) cmd.set(i + 1, "::");
            return cmd;
        }

        @Override public void environment(java.util.Map<String, String> env) {
            inner.environment(env);
        }
    }

    String run() throws IOException, InterruptedException {
        if (!Files.isExecutable(MANDOS_CLIENT) || !Files.isExecutable(Path.of("/usr/sbin/mandos-keygen"))) {
            return "## 6. Hostile flood\n\nnot run: mandos-client or mandos-keygen is not installed\n\n";
        }
        progress.println("[6] mandos-keygen: generating keys for the real client");
        String password = "flood-" + Long.toHexString(System.nanoTime());
        RealClientKeys realKeys = RealClientKeys.generate(runDir, "s6", password);
        Path keys = realKeys.dir();
        String section = realKeys.section();
        Path config = Files.createDirectories(runDir.resolve("s6"));
        Files.writeString(config.resolve("clients.conf"), section + "\n");
        Files.writeString(config.resolve("mandos.conf"), "[DEFAULT]\n");
        Path hooks = Files.createDirectories(runDir.resolve("s6-hooks"));

        Table t = new Table("server", "quiet median s", "cold: ok/runs, max s", "flood: ok/runs",
                "median s", "p90 s", "max s", "hostile connects", "peak RSS MB", "peak procs");
        for (Servers.Kind kind : kinds) {
            Path state = Files.createDirectories(runDir.resolve("state-s6-" + kind.label()));
            Compare.giveToServerAccount(state);
            Path log = Files.createDirectories(runDir.resolve("logs")).resolve("s6-" + kind.label() + ".log");
            try (Servers.Running server = Servers.start(new Anywhere(kind), config, state, log)) {
                int port = server.address().getPort();
                Fetcher fetch = new Fetcher(keys, hooks, port, password);
                if (fetch.awaitFirst(READY_LIMIT) < 0) {
                    t.row(kind.label(), "did not serve within " + READY_LIMIT.toSeconds() + " s", "", "", "", "", "", "",
                            "", "");
                    continue;
                }
                List<Long> quiet = new ArrayList<>();
                for (int i = 0; i < QUIET_FETCHES; i++) quiet.add(fetch.once());
                progress.printf("[6] %s: flood of %d x %d slots at %d connects/s, %d s cold + %d s timed%n",
                        kind.label(), HostileFlood.Kind.values().length, perKind, CONNECTS_PER_SECOND,
                        COLD.toSeconds(), window.toSeconds());
                List<Long> cold = new ArrayList<>();
                List<Long> timed = new ArrayList<>();
                long hostile;
                TreeSampler.Peaks peaks;
                try (HostileFlood flood = new HostileFlood(new InetSocketAddress("127.0.0.1", port), FLOOD_FROM,
                        CONNECTS_PER_SECOND);
                        // Running short of memory (the Python server's forks) ends the flood early.
                        TreeSampler sampler = new TreeSampler(server.pid(), flood::stop)) {
                    long start = System.nanoTime();
                    flood.start(perKind, List.of(HostileFlood.Kind.values()));
                    while (System.nanoTime() - start < COLD.toNanos()) cold.add(fetch.once());
                    long timedStart = System.nanoTime();
                    while (System.nanoTime() - timedStart < window.toNanos()) timed.add(fetch.once());
                    hostile = flood.totalConnects();
                    peaks = sampler.peaks();
                }
                t.row(kind.label(), secs(median(ok(quiet))),
                        ok(cold).size() + "/" + cold.size() + ", " + secs(max(ok(cold))),
                        ok(timed).size() + "/" + timed.size(), secs(median(ok(timed))), secs(p90(ok(timed))),
                        secs(max(ok(timed))), Long.toString(hostile), Table.mb(peaks.rssBytes()),
                        Integer.toString(peaks.processes()));
            }
        }
        return "## 6. Hostile flood\n\n"
                + "127.0.0.2 holds " + perKind + " connection slots of each kind (idle; version line then silence;"
                + " a byte every 5 s; 16 KiB of random bytes; connect then RST), each refilled as the server closes"
                + " it, new connections paced to " + CONNECTS_PER_SECOND + "/s in all. Meanwhile the Debian"
                + " mandos-client fetches its password from [::1], one run after another: process start to"
                + " password, " + COLD.toSeconds() + " s untimed (\"cold\"), then " + window.toSeconds()
                + " s timed. A run that fails or takes " + FETCH_LIMIT.toSeconds() + " s counts as not ok.\n\n"
                + t.render() + "\n";
    }

    /** Runs of the real client; each returns its time in nanoseconds, or -1 if it got no password. */
    private final class Fetcher {
        private final List<String> command;
        private final String password;

        Fetcher(Path keys, Path hooks, int port, String password) {
            this.password = password;
            this.command = List.of("timeout", "--kill-after=5", Long.toString(FETCH_LIMIT.toSeconds()),
                    MANDOS_CLIENT.toString(), "--interface=none", "--connect=[::1]:" + port, "--retry=1",
                    "--pubkey=" + keys.resolve("pubkey.txt"), "--seckey=" + keys.resolve("seckey.txt"),
                    "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"),
                    "--tls-privkey=" + keys.resolve("tls-privkey.pem"), "--network-hook-dir=" + hooks);
        }

        long awaitFirst(Duration limit) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                long t = once();
                if (t >= 0) return t;
            }
            return -1;
        }

        long once() throws IOException, InterruptedException {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(FETCH_LIMIT.toSeconds() + 10, TimeUnit.SECONDS)) Servers.stop(p.toHandle());
            long elapsed = System.nanoTime() - t0;
            return new String(out, StandardCharsets.UTF_8).equals(password) ? elapsed : -1;
        }
    }

    private static List<Long> ok(List<Long> runs) {
        return runs.stream().filter(n -> n >= 0).sorted().toList();
    }

    private static long median(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    }

    private static long p90(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1));
    }

    private static long max(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.getLast();
    }

    private static String secs(long nanos) {
        return nanos < 0 ? "–" : Table.num(nanos / 1e9);
    }


    private static InetAddress loopback(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
