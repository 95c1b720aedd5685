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
 * What the Debian package gives the server beyond {@code bin/.launcher}, made the same way for the
 * benchmark so that it measures the server as installed: JNA's native part from a directory
 * ({@code bin/build-deb} unpacks it at build time; from the jar, JNA would unpack it to a temporary
 * file at every start), and the AOT cache {@code packaging/debian/postinst} trains at install time
 * (the server's self-test, {@code --check}, fetching a secret over loopback 300 times from the
 * daemon in a JVM of its own, whose runtime, the one that then runs the server, records it). A runtime without AOT caches (before JDK 25) runs without
 * one, as the package's server would.
 */
final class PackagedOptions {
    /** The first runtime with {@code -XX:AOTCacheOutput} (one-step training). */
    static final int FIRST_FEATURE = 25;
    private static final Duration TRAINING_LIMIT = Duration.ofMinutes(3);
    private static final String JNA_LIBRARY = "com/sun/jna/linux-x86-64/libjnidispatch.so";

    private PackagedOptions() {}

    /**
     * The JVM options for JNA's native part unpacked into {@code runDir}, as the package has it; none
     * (JNA unpacks it itself) on a machine the jar has no such library for.
     */
    static List<String> jna(Path runDir) throws IOException {
        Path dir = Files.createDirectories(runDir.resolve("jna"));
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Servers.serverJar())) {
            var entry = jar.getJarEntry(JNA_LIBRARY);
            if (entry == null || !"amd64".equals(System.getProperty("os.arch"))) return List.of();
            try (var in = jar.getInputStream(entry)) {
                Files.copy(in, dir.resolve("libjnidispatch.so"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // Readable by the server after it drops to its own user.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("libjnidispatch.so"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return List.of("-Djna.boot.library.path=" + dir, "-Djna.nounpack=true");
    }

    /** The JVM option that uses an AOT cache at {@code file}. */
    static String aotCache(Path file) {
        return "-XX:AOTCache=" + file;
    }

    /**
     * Trains an AOT cache in {@code runDir} with {@code jna} as the server will run; empty, with the reason on {@code log}, if this runtime has no
     * AOT cache or the training failed (the run then measures the server without one).
     */
    static Optional<Path> train(Path runDir, List<String> jna, PrintStream log) throws IOException, InterruptedException {
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
        cmd.addAll(jna);
        cmd.addAll(List.of("-Dmandos.check.aot-cache=" + cache, "-Dmandos.check.fetches=300"));
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
