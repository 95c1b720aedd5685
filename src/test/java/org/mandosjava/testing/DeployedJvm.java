package org.mandosjava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM options and environment bin/.launcher gives the server, so that tests and the benchmark
 * measure memory and speed as the server runs for real: the fixed options of
 * {@code bin/server-jvm-options}, then the collector and heap limit {@code bin/server-heap} derives
 * from the clients.conf it will read, and the allocator's arena limit.
 */
public final class DeployedJvm {
    /** What the launchers export unless it is set already. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private DeployedJvm() {}

    /** The options for a server reading {@code configDir}; {@code home} holds bin/. */
    public static List<String> options(Path home, Path configDir) {
        List<String> options = new ArrayList<>();
        Path file = home.resolve("bin").resolve("server-jvm-options");
        try {
            Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(options::add);
            Process heap = new ProcessBuilder(home.resolve("bin").resolve("server-heap").toString(), "--configdir",
                    configDir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(heap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (heap.waitFor() != 0) throw new IOException("bin/server-heap exited with " + heap.exitValue());
            out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(options::add);
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server's JVM options from " + home.resolve("bin"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading bin/server-heap", e);
        }
    }
}
