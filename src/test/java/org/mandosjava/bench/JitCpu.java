package org.mandosjava.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU a JVM's JIT compiler threads have used ({@code /proc/PID/task/TID/stat} of the threads
 * named "C1 CompilerThre…" and "C2 CompilerThre…"), to tell in a window how much of a server's CPU
 * was compiling rather than serving. A compiler thread that exits within the window takes its CPU
 * with it, so this is a lower bound.
 */
final class JitCpu {
    private JitCpu() {}

    /** Seconds of CPU used so far by the compiler threads of {@code pid}; 0 if it cannot be read. */
    static double seconds(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    ProcStat s = ProcStat.parse(Files.readString(task.resolve("stat")).trim());
                    if (isCompiler(s.comm())) ticks += s.utime() + s.stime();
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return (double) ticks / ProcStat.TICKS_PER_SECOND;
    }

    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }
}
