package org.mandosjava.bench;

import java.util.Arrays;

/**
 * Latency distribution of the unlocks of one run, in nanoseconds. Percentiles use the nearest-rank
 * method: the p-th percentile is the smallest sample with at least p% of the samples at or below it,
 * so every reported figure is a latency that really happened.
 */
record LatencyStats(int count, long min, long p50, long p90, long p99, long max) {
    static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

    static LatencyStats of(long[] samples) {
        if (samples.length == 0) return EMPTY;
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, sorted[0], rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** Nearest rank: ceil(p/100 * n), 1-based. */
    static long rank(long[] sorted, int percent) {
        if (percent <= 0 || percent > 100) throw new IllegalArgumentException("percentile " + percent);
        long rank = ((long) percent * sorted.length + 99) / 100; // integer ceil: no rounding surprises
        return sorted[(int) Math.max(1, rank) - 1];
    }
}
