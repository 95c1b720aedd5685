package org.mandosjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The AOT cache the package makes when it is installed ({@code packaging/debian/postinst}), made the
 * same way for the benchmark: the server's self-test ({@code --check}) fetching a secret over
 * loopback 300 times, recorded by the runtime that then runs the server. Every start of our server
 * in the run uses it, so start-up and the cold storm are measured as the package runs them. A
 * runtime without AOT caches (before JDK 25) runs without one, as the package's server would.
 */
final class AotCache {
    /** The first runtime with {@code -XX:AOTCacheOutput} (one-step training). */
    static final int FIRST_FEATURE = 25;
    private static final Duration TRAINING_LIMIT = Duration.ofMinutes(3);

    private AotCache() {}

    /** The JVM option that uses a cache at {@code file}. */
    static String option(Path file) {
        return "-XX:AOTCache=" + file;
    }

    /**
     * Trains a cache in {@code runDir}; empty, with the reason on {@code log}, if this runtime has no
     * AOT cache or the training failed (the run then measures the server without one).
     */
    static Optional<Path> train(Path runDir, PrintStream log) throws IOException, InterruptedException {
        if (Runtime.version().feature() < FIRST_FEATURE) {
            log.println("mandos-bench: JDK " + Runtime.version().feature() + " has no AOT cache: our server runs without");
            return Optional.empty();
        }
        Path dir = runDir.resolve("aot");
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        Files.writeString(config.resolve("clients.conf"), "");
        Path cache = dir.resolve("server.aot");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(Servers.launcherServerOptions(config));
        cmd.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dmandos.check.fetches=300"));
        cmd.addAll(List.of("-cp", Servers.serverJar(), "org.mandosjava.Launcher", "mandos", "--check"));
        Path out = dir.resolve("training.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        pb.environment().putAll(org.mandosjava.testing.DeployedJvm.ENVIRONMENT);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            Servers.stop(p.toHandle());
            log.println("mandos-bench: AOT training did not finish in " + TRAINING_LIMIT + ": our server runs without a cache");
            return Optional.empty();
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(cache)) {
            log.println("mandos-bench: AOT training failed (exit " + p.exitValue() + ", see " + out
                    + "): our server runs without a cache");
            return Optional.empty();
        }
        log.printf("mandos-bench: AOT cache %s (%d MB) trained in %.1f s%n", cache, Files.size(cache) >> 20,
                (System.nanoTime() - start) / 1e9);
        return Optional.of(cache);
    }
}
