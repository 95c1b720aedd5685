package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our parsers against the behaviour of Python's configparser, base64 codec, os.path and the real
 * Mandos 1.8.16 functions, recorded in config-vectors.json by make_config_vectors.py.
 */
class ConfigVectorsTest {
    private static final Map<String, Object> VECTORS = ConfigVectors.all();
    private static final Path FILE = Path.of("/etc/mandos/test.conf");

    @Test
    void pythonWhitespaceIsExactlyOurs() {
        Set<Integer> python = new HashSet<>();
        for (Object o : (List<?>) VECTORS.get("python_space")) python.add(((BigInteger) o).intValueExact());
        List<Integer> differ = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (PyText.isSpace(cp) != python.contains(cp)) differ.add(cp);
        }
        assertThat(python).hasSizeGreaterThan(20);
        assertThat(differ).isEmpty();
    }

    /** How an INI text reaches the parser: as a string, or as a file read line by line from its bytes. */
    private interface IniWay {
        IniFile parse(String input) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> iniSyntax(@TempDir Path dir) {
        Path file = dir.resolve("test.conf");
        Map<String, IniWay> ways = Map.of(
                "text", input -> IniParser.parse(FILE, input, Map.of()),
                "file", input -> {
                    Files.writeString(file, input);
                    return IniParser.read(file, Map.of());
                });
        return ways.entrySet().stream().flatMap(way -> ConfigVectors.list(VECTORS, "ini").stream().map(v -> dynamicTest(
                v.get("name") + " (" + way.getKey() + ")", () -> {
                    String input = (String) v.get("input");
                    Path FILE = way.getKey().equals("file") ? file : ConfigVectorsTest.FILE;
                    if (v.containsKey("error")) {
                        Map<String, Object> err = ConfigVectors.map(v.get("error"));
                        ConfigException e = catchThrowableOfType(ConfigException.class,
                                () -> way.getValue().parse(input));
                        assertThat(e).as("Python raised %s", err.get("type")).isNotNull();
                        List<?> lines = (List<?>) err.get("lines");
                        assertThat(e.line()).isEqualTo(((BigInteger) lines.get(0)).intValue());
                        assertThat(e.file()).isEqualTo(FILE);
                        if (err.containsKey("option")) assertThat(e.key()).isEqualTo(err.get("option"));
                        if ("DuplicateSectionError".equals(err.get("type"))) {
                            assertThat(e.key()).isEqualTo("[" + err.get("section") + "]");
                        }
                        for (Object other : lines.subList(1, lines.size())) {
                            assertThat(e.problem()).contains(other.toString());
                        }
                        return;
                    }
                    IniFile ini = way.getValue().parse(input);
                    assertThat(pairs(ini.defaults())).isEqualTo(ConfigVectors.pairs(v.get("defaults")));
                    List<Map<String, Object>> sections = ConfigVectors.list(v, "sections");
                    assertThat(ini.sections()).extracting(IniSection::name)
                            .containsExactlyElementsOf(sections.stream().map(s -> (String) s.get("name")).toList());
                    for (int i = 0; i < sections.size(); i++) {
                        assertThat(pairs(ini.sections().get(i)))
                                .isEqualTo(ConfigVectors.pairs(sections.get(i).get("options")));
                    }
                })));
    }

    @TestFactory
    Stream<DynamicTest> interpolation() {
        return ConfigVectors.list(VECTORS, "interpolation").stream().map(v -> dynamicTest(
                (String) v.get("name"), () -> {
                    IniFile ini = IniParser.parse(FILE, (String) v.get("input"), Map.of());
                    for (Map<String, Object> s : ConfigVectors.list(v, "sections")) {
                        String section = (String) s.get("section");
                        if (s.containsKey("error")) {
                            Map<String, Object> err = ConfigVectors.map(s.get("error"));
                            ConfigException e = catchThrowableOfType(ConfigException.class,
                                    () -> BasicInterpolation.items(ini, section));
                            assertThat(e).as("[%s]: Python raised %s", section, err.get("type")).isNotNull();
                            assertThat(e.key()).isEqualTo(err.get("option"));
                            assertThat(e.line()).isPositive();
                        } else {
                            List<String> got = BasicInterpolation.items(ini, section).entrySet().stream()
                                    .map(x -> x.getKey() + "=" + x.getValue().text()).toList();
                            assertThat(got).as("[%s]", section).isEqualTo(ConfigVectors.pairs(s.get("items")));
                        }
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> booleans() {
        return ConfigVectors.list(VECTORS, "booleans").stream().map(v -> dynamicTest(
                "'" + v.get("input") + "'", () -> {
                    String input = (String) v.get("input");
                    if (v.containsKey("error")) {
                        assertThatThrownBy(() -> Booleans.parse(input))
                                .isInstanceOf(IllegalArgumentException.class);
                    } else {
                        assertThat(Booleans.parse(input)).isEqualTo(v.get("value"));
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> base64() {
        return ConfigVectors.list(VECTORS, "base64").stream().map(v -> dynamicTest(
                "'" + v.get("input") + "'", () -> {
                    String input = (String) v.get("input");
                    if (v.containsKey("error")) {
                        assertThatThrownBy(() -> LenientBase64.decode(input))
                                .isInstanceOf(IllegalArgumentException.class);
                    } else {
                        assertThat(HexFormat.of().formatHex(LenientBase64.decode(input))).isEqualTo(v.get("hex"));
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> durationsAgainstRealStringToDelta() {
        return ConfigVectors.list(VECTORS, "durations").stream().map(v -> dynamicTest(
                "'" + v.get("input") + "'", () -> {
                    String input = (String) v.get("input");
                    if (v.containsKey("error")) {
                        assertThatThrownBy(() -> Durations.parse(input))
                                .isInstanceOf(IllegalArgumentException.class);
                    } else {
                        assertThat(micros(Durations.parse(input))).isEqualTo(v.get("micros"));
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> secfileExpansion() {
        Map<String, Object> expand = ConfigVectors.map(VECTORS.get("expand"));
        Map<String, String> env = new HashMap<>();
        ConfigVectors.map(expand.get("env")).forEach((k, val) -> env.put(k, (String) val));
        env.put("HOME", (String) expand.get("home"));
        PathExpansion expansion = new PathExpansion(env, "/nonexistent-home", PathExpansion::passwdHome);
        return ConfigVectors.list(expand, "cases").stream().map(v -> dynamicTest(
                "'" + v.get("input") + "'", () -> {
                    String input = (String) v.get("input");
                    assertThat(expansion.expandVars(input)).isEqualTo(v.get("expandvars"));
                    assertThat(expansion.expand(input)).isEqualTo(v.get("secfile"));
                }));
    }

    @TestFactory
    Stream<DynamicTest> clientsAgainstRealConfigParser(@TempDir Path dir) {
        PathExpansion expansion = new PathExpansion(Map.of(), "/nonexistent-home", u -> java.util.Optional.empty());
        // Both ways in: parsed text, and a file read a section at a time (what the server does).
        Path streamedFile = dir.resolve("clients.conf");
        record Way(String name, Path file, Loader loader) {}
        List<Way> ways = List.of(
                new Way("parsed", FILE, input -> ClientsConf.clients(
                        IniParser.parse(FILE, input, ClientsConf.BUILT_IN_DEFAULTS), expansion)),
                new Way("streamed", streamedFile, input -> {
                    Files.writeString(streamedFile, input);
                    return ClientsConf.load(streamedFile, expansion);
                }));
        return ways.stream().flatMap(way -> ConfigVectors.list(VECTORS, "clients").stream().map(v -> dynamicTest(
                v.get("name") + " (" + way.name() + ")", () -> {
                    String input = (String) v.get("input");
                    final Path FILE = way.file();
                    if (v.containsKey("error")) {
                        ConfigException e = catchThrowableOfType(ConfigException.class, () -> way.loader().load(input));
                        assertThat(e).as("Python raised %s", ConfigVectors.map(v.get("error")).get("type"))
                                .isNotNull();
                        assertThat(e.file()).isEqualTo(FILE);
                        assertThat(e.line()).isPositive();
                        return;
                    }
                    List<ClientConfig> got = way.loader().load(input);
                    List<Map<String, Object>> want = ConfigVectors.list(v, "clients");
                    assertThat(got).hasSameSizeAs(want);
                    for (int i = 0; i < want.size(); i++) {
                        ClientConfig c = got.get(i);
                        Map<String, Object> w = want.get(i);
                        assertThat(c.name()).isEqualTo(w.get("name"));
                        assertThat(c.keyId()).isEqualTo(w.get("key_id"));
                        assertThat(c.fingerprint()).isEqualTo(w.get("fingerprint"));
                        assertThat(HexFormat.of().formatHex(c.secret())).isEqualTo(w.get("secret_hex"));
                        assertThat(c.host()).isEqualTo(w.get("host"));
                        assertThat(c.checker()).isEqualTo(w.get("checker"));
                        assertThat(micros(c.timeout())).isEqualTo(w.get("timeout"));
                        assertThat(micros(c.extendedTimeout())).isEqualTo(w.get("extended_timeout"));
                        assertThat(micros(c.interval())).isEqualTo(w.get("interval"));
                        assertThat(micros(c.approvalDelay())).isEqualTo(w.get("approval_delay"));
                        assertThat(micros(c.approvalDuration())).isEqualTo(w.get("approval_duration"));
                        assertThat(c.approvedByDefault()).isEqualTo(w.get("approved_by_default"));
                        assertThat(c.enabled()).isEqualTo(w.get("enabled"));
                        assertThat(c.options().entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                                .sorted().toList()).isEqualTo(ConfigVectors.pairs(w.get("options")));
                        assertThat(c.file()).isEqualTo(FILE);
                        assertThat(c.line()).isPositive();
                    }
                })));
    }

    private interface Loader {
        List<ClientConfig> load(String input) throws Exception;
    }

    private static List<String> pairs(IniSection s) {
        return s.options().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().text()).toList();
    }

    private static BigInteger micros(Duration d) {
        return BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000))
                .add(BigInteger.valueOf(d.getNano() / 1000));
    }
}
