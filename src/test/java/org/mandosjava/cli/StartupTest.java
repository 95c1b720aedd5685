package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartupTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 4_999_999, 5_000_000, 99_999_999, 100_000_000, 1_234_000_000, 9_995_000_000L,
            60_000_000_000L, 123_456_789_012L})
    void secondsPrintAsPercentPointTwoF(long nanos) {
        assertThat(Startup.seconds(nanos)).isEqualTo(String.format(Locale.ROOT, "%.2f", nanos / 1e9));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 12, 123, 999, 1_000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1_000, -123_456,
            Long.MAX_VALUE, Long.MIN_VALUE})
    void groupedPrintsAsPercentCommaD(long count) {
        assertThat(Startup.grouped(count)).isEqualTo(String.format(Locale.ROOT, "%,d", count));
    }
}
