package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line bookkeeping and error messages; the syntax itself is checked by ConfigVectorsTest. */
class IniParserTest {
    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    @Test
    void remembersLinesOfSectionsAndOptions() throws Exception {
        IniFile ini = IniParser.parse(FILE, """
                # comment
                [DEFAULT]
                a = 1

                [client]
                secret =
                    QUJD
                    REVG
                host = h
                """, Map.of("timeout", "PT5M"));
        assertThat(ini.defaults().line()).isEqualTo(2);
        assertThat(ini.defaults().get("a")).isEqualTo(new IniValue("1", 3));
        assertThat(ini.defaults().get("timeout")).isEqualTo(new IniValue("PT5M", 0));
        IniSection client = ini.section("client").orElseThrow();
        assertThat(client.line()).isEqualTo(5);
        assertThat(client.get("secret")).isEqualTo(new IniValue("\nQUJD\nREVG", 6));
        assertThat(client.get("host")).isEqualTo(new IniValue("h", 9));
    }

    @Test
    void fileOverridesBuiltInDefaultsWithoutDuplicateError() throws Exception {
        IniFile ini = IniParser.parse(FILE, "[DEFAULT]\nTimeout = 1h\n", Map.of("timeout", "PT5M"));
        assertThat(ini.defaults().get("timeout")).isEqualTo(new IniValue("1h", 2));
    }

    @Test
    void lineNumbersCountCrAndCrLf() throws Exception {
        IniFile ini = IniParser.parse(FILE, "[s]\r\na = 1\rb = 2\nc = 3\r\n", Map.of());
        IniSection s = ini.section("s").orElseThrow();
        assertThat(s.get("a").line()).isEqualTo(2);
        assertThat(s.get("b").line()).isEqualTo(3);
        assertThat(s.get("c").line()).isEqualTo(4);
    }

    @Test
    void missingSectionHeaderNamesFileAndLine() {
        ConfigException e = error("# top\n\nport = 1\n");
        assertThat(e.getMessage()).startsWith("/etc/mandos/clients.conf:3: no section header");
        assertThat(e.key()).isNull();
    }

    @Test
    void duplicateOptionNamesBothLines() {
        ConfigException e = error("[c]\nhost = a\nx = 1\nHOST = b\n");
        assertThat(e.getMessage()).isEqualTo("/etc/mandos/clients.conf:4: host: duplicate option in"
                + " section [c] (first on line 2)");
    }

    @Test
    void duplicateSectionNamesBothLines() {
        ConfigException e = error("[c]\n[d]\n[c]\n");
        assertThat(e.getMessage()).isEqualTo("/etc/mandos/clients.conf:3: [c]: duplicate section"
                + " (first on line 1)");
    }

    @Test
    void malformedLinesAreReportedTogetherWithoutTheirText() {
        ConfigException e = error("[c]\nsecret\ngood = 1\nTOPSECRETLINE\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("/etc/mandos/clients.conf:2: neither a section header")
                .contains("more malformed lines: 4")
                .doesNotContain("TOPSECRETLINE");
    }

    @Test
    void emptyOptionName() {
        ConfigException e = error("[c]\n = value\n");
        assertThat(e.getMessage()).isEqualTo("/etc/mandos/clients.conf:2: option name missing before '='");
    }

    @Test
    void invalidUtf8NamesTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mandos.conf");
        Files.write(file, new byte[] {'[', 'D', ']', '\n', 'a', '=', (byte) 0xff, '\n'});
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> IniParser.read(file, Map.of()));
        assertThat(e.getMessage()).isEqualTo(file + ":2: not valid UTF-8 text");
    }

    @Test
    void readingAFileGivesWhatParsingItsTextGives(@TempDir Path dir) throws Exception {
        // Line ends of every kind, one "\r\n" split across the reader's 64 KiB buffers, non-ASCII
        // text, a continuation with an empty line, and no line end at the end of the file.
        StringBuilder text = new StringBuilder("[DEFAULT]\r\ntimeout = 1h\r[c]\nhost = hôst\nchecker = a\n\n  b\n");
        while (text.length() < 64 * 1024 - 1) text.append("# padding\n");
        text.setLength(64 * 1024 - 1);
        text.setCharAt(text.length() - 1, '\n');
        text.append("\r\n[d]\r\nx = 1\r\ny = ½");
        Path file = dir.resolve("clients.conf");
        Files.writeString(file, text);

        IniFile read = IniParser.read(file, Map.of("interval", "2m"));
        IniFile parsed = IniParser.parse(file, text.toString(), Map.of("interval", "2m"));

        assertThat(read.sections()).isEqualTo(parsed.sections());
        assertThat(read.defaults()).isEqualTo(parsed.defaults());
        assertThat(read.section("c").orElseThrow().get("checker").text()).isEqualTo("a\n\nb");
        assertThat(read.section("d").orElseThrow().get("y").text()).isEqualTo("½");
        assertThat(read.section("d").orElseThrow().line()).isEqualTo(parsed.section("d").orElseThrow().line());
    }

    @Test
    void aValueOfManyLinesReadFromAFileIsItsLinesJoined(@TempDir Path dir) throws Exception {
        // The lines of a value go into one buffer as they are read: here across the reader's 64 KiB
        // refill, with a blank line and a comment inside, a line of non-ASCII text among ASCII ones,
        // blank lines with spaces at its end, and two values of this kind one after the other.
        StringBuilder text = new StringBuilder("[DEFAULT]\n");
        while (text.length() < 64 * 1024 - 1500) text.append("# padding\n");
        text.append("[c]\nsecret = first  \n");
        StringBuilder expected = new StringBuilder("first");
        for (int i = 0; i < 40; i++) {
            String line = i == 20 ? "ünïcode line" : ("%02d".formatted(i)).repeat(38);
            text.append("        ").append(line).append("   \n");
            expected.append('\n').append(line);
            if (i == 10) {
                text.append("\n    # a comment, not part of the value\n");
                expected.append('\n');
            }
        }
        text.append("   \n\n  \t\nother = 1\n  2\n\n[d]\nx = only\n\n\n");
        Path file = dir.resolve("clients.conf");
        Files.writeString(file, text);

        IniFile read = IniParser.read(file, Map.of());
        IniFile parsed = IniParser.parse(file, text.toString(), Map.of());

        IniSection c = read.section("c").orElseThrow();
        assertThat(c.get("secret").text()).isEqualTo(expected.toString());
        assertThat(c.get("other").text()).isEqualTo("1\n2");
        assertThat(read.section("d").orElseThrow().get("x").text()).isEqualTo("only");
        assertThat(read.sections()).isEqualTo(parsed.sections());
    }

    @Test
    void aMalformedByteFurtherOnIsReportedBeforeAnEarlierSyntaxError(@TempDir Path dir) throws Exception {
        // Python decodes the whole file before parsing it.
        Path file = dir.resolve("clients.conf");
        Files.write(file, new byte[] {'[', 'c', ']', '\n', '[', 'c', ']', '\n', 'a', '=', (byte) 0xc3, '\n'});
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> IniParser.read(file, Map.of()));
        assertThat(e.getMessage()).isEqualTo(file + ":3: not valid UTF-8 text");
    }

    private static ConfigException error(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> IniParser.parse(FILE, text, Map.of()));
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo(FILE);
        return e;
    }
}
