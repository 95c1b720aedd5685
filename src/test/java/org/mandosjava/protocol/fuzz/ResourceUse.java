package org.mandosjava.protocol.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Threads, open file descriptors and live heap of this JVM, for "nothing grows" checks. */
record ResourceUse(int threads, long fileDescriptors, long heapBytes) {

    static ResourceUse now() throws IOException {
        // Several collections: one may leave garbage that a finalizing reference queue releases late.
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        long fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            fds = entries.count();
        }
        return new ResourceUse(ManagementFactory.getThreadMXBean().getThreadCount(), fds,
                rt.totalMemory() - rt.freeMemory());
    }

    @Override public String toString() {
        return threads + " threads, " + fileDescriptors + " fds, " + heapBytes / 1024 + " KiB heap";
    }
}
