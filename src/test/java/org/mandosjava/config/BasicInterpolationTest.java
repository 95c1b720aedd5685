package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The items of a section; Python's own results for many more cases are in ConfigVectorsTest. */
class BasicInterpolationTest {
    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    @Test
    void everyValueIsInterpolatedFromTheRawValuesNotFromOnesInterpolatedBeforeIt() throws Exception {
        // What Python gives: b refers to a's raw "100%%", which becomes "100%" once, not twice (a
        // second pass over "100%" would be an error).
        IniFile ini = IniParser.parse(FILE, """
                [DEFAULT]
                a = 100%%
                [s]
                b = %(a)s
                c = %(b)s and %(d)s
                d = plain
                """, Map.of());

        Map<String, String> items = new LinkedHashMap<>();
        BasicInterpolation.items(ini, "s").forEach((k, v) -> items.put(k, v.text()));

        assertThat(items).containsExactly(Map.entry("a", "100%"), Map.entry("b", "100%"),
                Map.entry("c", "100% and plain"), Map.entry("d", "plain"));
        assertThat(BasicInterpolation.items(ini, "s").get("c").line()).isEqualTo(5);
    }
}
