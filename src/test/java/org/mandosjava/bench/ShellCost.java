package org.mandosjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU one checker process costs by itself ({@code /bin/sh} running a built-in), measured by
 * running it from this JVM and reading our own reaped-children CPU from /proc/self/stat. Scenario 3
 * subtracts it per run so that what remains is the server's own scheduling cost.
 */
final class ShellCost {
    private static final int RUNS = 200;

    private ShellCost() {}

    static double ticksPerRun(Path scratch) throws IOException, InterruptedException {
        Path sink = Files.createDirectories(scratch).resolve("sink");
        long before = selfChildTicks();
        for (int i = 0; i < RUNS; i++) {
            Process p = new ProcessBuilder("/bin/sh", "-c", "echo bench-" + i + " > " + sink).start();
            p.waitFor();
        }
        return (double) (selfChildTicks() - before) / RUNS;
    }

    private static long selfChildTicks() throws IOException {
        ProcStat self = ProcStat.parse(Files.readString(Path.of("/proc/self/stat")));
        return self.cutime() + self.cstime();
    }
}
