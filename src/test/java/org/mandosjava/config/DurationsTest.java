package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The observed table of spec §2.4, plus cases following its rules. */
class DurationsTest {
    @ParameterizedTest(name = "\"{0}\" = {1} s")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // spec §2.4 observed table
        "PT5M | 300", "P1DT3M20S | 86600", "P1M | 2419200", "P1Y | 31449600", "P1W | 604800",
        "PT0S | 0", "\"\" | 0", "PT1H30M | 5400", "5m | 300", "5m 30s | 330",
        // accepted per spec text
        "P1Y2M3DT4H5M6S | 36561906", "P1DT1H | 90000", "PT1M1S | 61", "P2W | 1209600", "P0D | 0",
        // our own, following the rules
        "P1Y2M | 36288000", "P2M3D | 5097600", "PT4H5M6S | 14706", "P007D | 604800",
        "2w 3d 4h 5m 6s | 1483506", "1h | 3600", "1d | 86400", "-5m | -300", "\"  5m   30s \" | 330",
    })
    void accepted(String text, long seconds) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "\"{0}\" is an error")
    @ValueSource(strings = {
        // spec §2.4 observed table
        "1d2h", "10", "P1D2W", "PT1.5S", "p1d", "PT5m", "P", "PT",
        // rejected per spec text (components cannot be skipped)
        "P1MT1H", "P1YT1H", "P1Y1D", "PT1H1S",
        // our own
        "P1W1D", "P1DT", "PT5M 5m", "5 m", "1y", "1M", "PT5M5M", "1000000000d",
    })
    void rejected(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }
}
