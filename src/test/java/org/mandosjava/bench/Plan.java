package org.mandosjava.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much of each scenario to run. Every count and duration is bounded; the Python server gets
 * time limits because it can take minutes where ours takes seconds.
 */
record Plan(
        List<Integer> clientCounts,
        List<Integer> concurrencies,
        Duration warmup,
        Duration cell,
        Duration cellCap,
        Duration startupLimitOurs,
        Duration startupLimitPython,
        int bigStartupClients,
        boolean pythonBigStartup,
        int checkerClients,
        Duration checkerInterval,
        Duration checkerWindow,
        int stormConnections,
        Duration approvalDelay,
        Duration stormLimit,
        int realClientRuns) {

    static Plan full() {
        return new Plan(List.of(1, 50, 500, 5000), List.of(1, 16, 64, 256),
                Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(25),
                Duration.ofSeconds(60), Duration.ofSeconds(90),
                100_000, true,
                1000, Duration.ofSeconds(10), Duration.ofSeconds(60),
                2000, Duration.ofSeconds(15), Duration.ofSeconds(120),
                5);
    }

    /**
     * About three minutes: fewer cells (no 5,000-client row, whose Python start alone takes ~40 s),
     * shorter windows, a smaller storm, no Python 100,000 start.
     */
    static Plan quick() {
        return new Plan(List.of(1, 500), List.of(16, 64),
                Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30),
                100_000, false,
                1000, Duration.ofSeconds(10), Duration.ofSeconds(15),
                300, Duration.ofSeconds(5), Duration.ofSeconds(45),
                3);
    }

    /** The same plan with scenario 1's grid replaced where given (null keeps the plan's). */
    Plan withGrid(List<Integer> counts, List<Integer> concurrency, Duration cellLength) {
        return new Plan(counts == null ? clientCounts : List.copyOf(counts),
                concurrency == null ? concurrencies : List.copyOf(concurrency), warmup,
                cellLength == null ? cell : cellLength, cellCap, startupLimitOurs, startupLimitPython, bigStartupClients,
                pythonBigStartup, checkerClients, checkerInterval, checkerWindow, stormConnections, approvalDelay,
                stormLimit, realClientRuns);
    }

    int maxConcurrency() {
        return concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    int maxClients() {
        return clientCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
    }
}
