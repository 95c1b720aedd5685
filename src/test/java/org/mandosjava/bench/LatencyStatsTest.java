package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void nearestRankOnOneToHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) samples[i] = 100 - i; // unsorted on purpose
        LatencyStats s = LatencyStats.of(samples);
        assertThat(s).isEqualTo(new LatencyStats(100, 1, 50, 90, 99, 100));
    }

    @Test
    void percentilesAreSamplesThatHappened() {
        LatencyStats s = LatencyStats.of(new long[] {7, 3, 1000});
        assertThat(s.p50()).isEqualTo(7);   // rank ceil(1.5) = 2
        assertThat(s.p90()).isEqualTo(1000); // rank ceil(2.7) = 3
        assertThat(s.p99()).isEqualTo(1000);
        assertThat(s.min()).isEqualTo(3);
    }

    @Test
    void singleSampleIsEveryPercentile() {
        assertThat(LatencyStats.of(new long[] {42})).isEqualTo(new LatencyStats(1, 42, 42, 42, 42, 42));
    }

    @Test
    void noSamplesGiveEmpty() {
        assertThat(LatencyStats.of(new long[0])).isEqualTo(LatencyStats.EMPTY);
    }

    @Test
    void rankNeedsAPercentageAboveZero() {
        assertThatThrownBy(() -> LatencyStats.rank(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void doesNotReorderTheCallersArray() {
        long[] samples = {3, 1, 2};
        LatencyStats.of(samples);
        assertThat(samples).containsExactly(3, 1, 2);
    }
}
