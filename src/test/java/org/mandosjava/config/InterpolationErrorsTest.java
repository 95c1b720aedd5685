package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Interpolation errors say where: file, line of the option, the option, the section. */
class InterpolationErrorsTest {
    private static final Path FILE = Path.of("clients.conf");

    @Test
    void unknownReference() {
        assertThat(error("[DEFAULT]\n[web]\nhost = h\nchecker = fping %(hots)s\n", "web").getMessage())
                .isEqualTo("clients.conf:4: checker: %(hots)s names no option of this section or [DEFAULT]"
                        + " (in [web])");
    }

    @Test
    void lonePercent() {
        assertThat(error("[web]\n\nchecker = test 50% full\n", "web").getMessage())
                .isEqualTo("clients.conf:3: checker: '%' must be followed by '%' or '(' (write %% for a"
                        + " literal %) (in [web])");
    }

    @Test
    void errorInInheritedValuePointsAtDefaultLine() {
        ConfigException e = error("[DEFAULT]\nx = %(nope)s\n[web]\n", "web");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.key()).isEqualTo("x");
        assertThat(e.problem()).endsWith("(in [web])");
    }

    @Test
    void loop() {
        assertThat(error("[web]\na = %(b)s\nb = %(a)s\n", "web").problem())
                .startsWith("%(name)s references nested more than 10 levels deep");
    }

    private static ConfigException error(String text, String section) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> BasicInterpolation.items(IniParser.parse(FILE, text, Map.of()), section));
        assertThat(e).isNotNull();
        return e;
    }
}
