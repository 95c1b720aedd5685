package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runtime expansion of checker commands (spec §4), checked against Python itself: the original
 * formats values with {@code str()} and quotes them with {@code shlex.quote}.
 */
class CheckerCommandTest {
    static final List<String> STRINGS = List.of("", "host1", "host-1.example.com", "a b", "it's", "$(rm -rf /)",
            "x;y", "ä", "%", "@user:pw,=+/.", "tab\there", "new\nline", "'", "\"q\"", "*", "~root", "a&b|c");
    static final List<Long> DURATION_MICROS = List.of(0L, 1_000_000L, 300_000_000L, 86_400_000_000L,
            90_061_500_000L, 172_800_000_000L + 3_723_000_001L, 1_500_000L);
    static final List<String> INSTANTS = List.of("2026-11-26T13:37:54.629830Z", "2026-01-02T03:04:05Z");

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static List<String> python(String program) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("python3 is missing");
            assumeTrue(false, "python3 is missing");
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", program).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        // One JSON-free line per value: Python repr-escapes newlines so each value is one line.
        return out.lines().map(l -> l.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")).toList();
    }

    private static String pyList(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            sb.append("'");
            for (char c : v.toCharArray()) {
                if (c == '\'' || c == '\\') sb.append('\\').append(c);
                else if (c == '\n') sb.append("\\n");
                else if (c == '\t') sb.append("\\t");
                else sb.append(c);
            }
            sb.append("',");
        }
        return sb.append("]").toString();
    }

    @Test
    void quotingMatchesPythonShlexQuote() throws Exception {
        List<String> expected = python("import shlex\nfor s in " + pyList(STRINGS)
                + ":\n    print(shlex.quote(s).replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n').replace('\\t', '\\\\t'))");
        for (int i = 0; i < STRINGS.size(); i++) {
            assertThat(CheckerCommand.quote(STRINGS.get(i))).as("quote(%s)", STRINGS.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void durationsAndTimesAreFormattedAsPythonStr() throws Exception {
        StringBuilder program = new StringBuilder("import datetime\n");
        for (long micros : DURATION_MICROS) {
            program.append("print(str(datetime.timedelta(microseconds=").append(micros).append(")))\n");
        }
        for (String t : INSTANTS) {
            program.append("print(str(datetime.datetime.fromisoformat('").append(t.replace("Z", ""))
                    .append("')))\n");
        }
        List<String> expected = python(program.toString());
        int i = 0;
        for (long micros : DURATION_MICROS) {
            assertThat(CheckerCommand.str(Duration.ofNanos(micros * 1000))).isEqualTo(expected.get(i++));
        }
        for (String t : INSTANTS) {
            assertThat(CheckerCommand.str(Instant.parse(t))).isEqualTo(expected.get(i++));
        }
        assertThat(CheckerCommand.str((Instant) null)).isEqualTo("None");
        assertThat(CheckerCommand.str(true)).isEqualTo("True");
    }

    @Test
    void expansionQuotesEachValueAndTurnsDoublePercentIntoOne() {
        String out = CheckerCommand.expand("ping -c1 %(host)s && echo %(name)s 100%% > /dev/null",
                Map.of("host", "a b", "name", "it's"));
        assertThat(out).isEqualTo("ping -c1 'a b' && echo 'it'\"'\"'s' 100% > /dev/null");
    }

    @Test
    void mistakesAreFoundBeforeTheFirstRun() {
        assertThat(CheckerCommand.problem("fping -q -- %(host)s")).isNull();
        assertThat(CheckerCommand.problem("fping %(hots)s")).contains("unknown attribute %(hots)s");
        assertThat(CheckerCommand.problem("echo 100%")).contains("lone '%'");
        assertThat(CheckerCommand.problem("echo %(host)d")).contains("only %(name)s");
    }
}
