package org.mandosjava.bench;

import java.time.Duration;

/**
 * Samples a server's process tree in the background for its peaks (memory, threads, processes),
 * and stops the server if the machine runs short of memory: a storm of forked Python children can
 * take more memory than a shared machine should give a benchmark.
 */
final class TreeSampler implements AutoCloseable {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    /** Proportional set sizes cost a page-table walk per process: read them less often. */
    private static final int PSS_EVERY = 5;
    static final long MIN_MEM_AVAILABLE = 3L << 30;

    private final long root;
    private final Runnable onMemoryLow;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean memoryLow;
    private long peakRss, peakPss, samples;
    private int peakThreads, peakProcesses;

    TreeSampler(long root, Runnable onMemoryLow) {
        this.root = root;
        this.onMemoryLow = onMemoryLow;
        this.thread = Thread.ofPlatform().daemon().name("tree-sampler").start(this::loop);
    }

    record Peaks(long rssBytes, long pssBytes, int threads, int processes, boolean memoryLow) {}

    private void loop() {
        long n = 0;
        while (running) {
            ProcessTree.Snapshot s = ProcessTree.sample(root, n++ % PSS_EVERY == 0);
            synchronized (this) {
                if (s.processes() > 0) {
                    samples++;
                    peakRss = Math.max(peakRss, s.rssBytes());
                    peakPss = Math.max(peakPss, s.pssBytes());
                    peakThreads = Math.max(peakThreads, s.threads());
                    peakProcesses = Math.max(peakProcesses, s.processes());
                }
            }
            if (!memoryLow && ProcessTree.memAvailable() < MIN_MEM_AVAILABLE) {
                memoryLow = true;
                onMemoryLow.run();
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Peaks since the last reset; takes one last full sample first so short runs are covered. */
    synchronized Peaks peaks() {
        ProcessTree.Snapshot s = ProcessTree.sample(root, true);
        if (s.processes() > 0) {
            peakRss = Math.max(peakRss, s.rssBytes());
            peakPss = Math.max(peakPss, s.pssBytes());
            peakThreads = Math.max(peakThreads, s.threads());
            peakProcesses = Math.max(peakProcesses, s.processes());
        }
        return new Peaks(peakRss, peakPss, peakThreads, peakProcesses, memoryLow);
    }

    synchronized void reset() {
        peakRss = peakPss = samples = 0;
        peakThreads = peakProcesses = 0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
