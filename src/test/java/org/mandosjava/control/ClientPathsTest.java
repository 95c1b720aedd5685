package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClientPathsTest {
    /** The D-Bus specification's object path grammar. */
    private static final Pattern VALID_PATH = Pattern.compile("/|(/[A-Za-z0-9_]+)+");

    @Test
    void keepsTheOriginalsPathForItsAlphabet() {
        ClientPaths paths = new ClientPaths();
        assertThat(paths.assign("vm")).isEqualTo("/clients/vm");
        assertThat(paths.assign("web-01.example.org")).isEqualTo("/clients/web_01_example_org");
        assertThat(paths.assign("under_score")).isEqualTo("/clients/under_score");
    }

    @Test
    void theFirstOfCollidingNamesKeepsItTheOthersAreEscaped() {
        ClientPaths paths = new ClientPaths();
        assertThat(paths.assign("a.b")).isEqualTo("/clients/a_b");
        assertThat(paths.assign("a_b")).isEqualTo("/clients/_a_5fb");
        assertThat(paths.assign("a-b")).isEqualTo("/clients/_a_2db");
        assertThat(paths.assign("a.b")).as("stable").isEqualTo("/clients/a_b");
        assertThat(paths.nameAt("/clients/_a_5fb")).isEqualTo("a_b");
        paths.release("a.b");
        assertThat(paths.nameAt("/clients/a_b")).isNull();
        assertThat(paths.assign("a-b")).as("kept while present").isEqualTo("/clients/_a_2db");
    }

    @Test
    void anyNameGivesAValidPathAndNoTwoNamesShareOne() {
        ClientPaths paths = new ClientPaths();
        List<String> names = List.of("", " ", "a b", "ä", "日本", "/", "a/b", "_", "__", "_5f", "_x", ".", "-", "a..b",
                "a._b", "a_.b", "a_5fb", "_a_5fb", "tab\there", "new\nline", "%(host)s", "DEFAULT", "😀");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            String path = paths.assign(name);
            assertThat(path).as(name).matches(VALID_PATH).startsWith("/clients/");
            assertThat(seen.add(path)).as("unique: " + name + " → " + path).isTrue();
            assertThat(paths.nameAt(path)).isEqualTo(name);
        }
    }

    @Test
    void escapingAloneIsInjective() {
        assertThat(ClientPaths.escapedPath("a b")).isEqualTo("/clients/_a_20b");
        assertThat(ClientPaths.escapedPath("a_20b")).isEqualTo("/clients/_a_5f20b");
        assertThat(ClientPaths.escapedPath("")).isEqualTo("/clients/_");
        assertThat(ClientPaths.originalPath("a b")).isNull();
    }
}
