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
}
