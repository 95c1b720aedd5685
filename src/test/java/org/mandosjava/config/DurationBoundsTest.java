package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every client duration is from zero to {@link Durations#MAX_SETTING}, checked where clients.conf is read. */
class DurationBoundsTest {
    private static final PathExpansion NO_EXPANSION =
            new PathExpansion(Map.of(), "/nonexistent", u -> Optional.empty());

    @TempDir
    Path dir;

    private ConfigException load(String text) throws Exception {
        Path file = dir.resolve("clients.conf");
        Files.writeString(file, text);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ClientsConf.load(file, NO_EXPANSION));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    @Test
    void aThousandYearIntervalIsAnErrorNamingFileLineAndKey() throws Exception {
        ConfigException e = load("[a]\nfingerprint = 1\nsecret = YQ==\ninterval = P1000Y\n");
        assertThat(e.getMessage()).isEqualTo(dir.resolve("clients.conf")
                + ":4: interval: a duration can be at most 49 days (P7W): \"P1000Y\" (client [a])");
    }

    @Test
    void aNegativeDurationIsAnError() throws Exception {
        ConfigException e = load("[a]\nfingerprint = 1\nsecret = YQ==\ntimeout = 5m -10m\n");
        assertThat(e.getMessage()).isEqualTo(dir.resolve("clients.conf")
                + ":4: timeout: a duration cannot be negative: \"5m -10m\" (client [a])");
    }

    @Test
    void anInheritedValueIsReportedAtItsDefaultLine() throws Exception {
        ConfigException e = load("[DEFAULT]\napproval_delay = P8W\n[a]\nfingerprint = 1\nsecret = YQ==\n");
        assertThat(e.getMessage()).startsWith(dir.resolve("clients.conf") + ":2: approval_delay: ")
                .endsWith("(client [a])");
    }

    @Test
    void everyDurationKeyIsChecked() throws Exception {
        for (String key : new String[] {"timeout", "extended_timeout", "interval", "approval_delay",
                "approval_duration"}) {
            ConfigException e = load("[a]\nfingerprint = 1\nsecret = YQ==\n" + key + " = P50D\n");
            assertThat(e.getMessage()).as(key).contains(":4: " + key + ": a duration can be at most 49 days");
        }
    }

    @Test
    void theMaximumItselfAndZeroAreAccepted() throws Exception {
        Path file = dir.resolve("ok.conf");
        Files.writeString(file, "[a]\nfingerprint = 1\nsecret = YQ==\ntimeout = P7W\napproval_delay = PT0S\n");
        ClientConfig c = ClientsConf.load(file, NO_EXPANSION).get(0);
        assertThat(c.timeout()).isEqualTo(Durations.MAX_SETTING).isEqualTo(Duration.ofDays(49));
        assertThat(c.approvalDelay()).isZero();
    }

    @Test
    void checkSettingBounds() {
        assertThat(Durations.checkSetting(Durations.MAX_SETTING, "x")).isEqualTo(Durations.MAX_SETTING);
        assertThatThrownBy(() -> Durations.checkSetting(Durations.MAX_SETTING.plusMillis(1), "x"))
                .hasMessage("a duration can be at most 49 days (P7W): x");
        assertThatThrownBy(() -> Durations.checkSetting(Duration.ofMillis(-1), "y"))
                .hasMessage("a duration cannot be negative: y");
    }
}
