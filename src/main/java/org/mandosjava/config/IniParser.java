package org.mandosjava.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads INI text the way Python 3's {@code configparser.ConfigParser()} does with its default
 * (strict) settings, which is what Mandos uses for mandos.conf and clients.conf:
 * <ul>
 *   <li>lines end at {@code \n}, {@code \r\n} or {@code \r} (Python's universal newlines);</li>
 *   <li>a line whose stripped text starts with {@code #} or {@code ;} is a comment; there are no
 *       inline comments;</li>
 *   <li>a line indented deeper than the current option's key line continues its value; empty lines
 *       are kept inside a value, trailing ones dropped ({@code "\n".join(lines).rstrip()});</li>
 *   <li>{@code [name]} (anything up to the last {@code ]}; text after it is ignored) starts a
 *       section; [DEFAULT] may appear several times and accumulates;</li>
 *   <li>{@code key = value} or {@code key: value} (first delimiter wins), key lower-cased;</li>
 *   <li>duplicate sections and duplicate options of a section are errors.</li>
 * </ul>
 * Errors are reported as Python raises them: a missing section header or a duplicate stops reading
 * at once; malformed lines are collected and reported together at the end of the file (first line
 * in {@link ConfigException#line()}, the others in the message). Messages never quote the
 * offending line, since in clients.conf it may be part of a secret.
 */
public final class IniParser {
    /** {@code configparser}'s SECTCRE, applied to the stripped line with {@code match}. */
    private static final Pattern SECTION = Pattern.compile("\\[(.+)]", Pattern.DOTALL);

    private IniParser() {}

    /** Reads and parses a file (UTF-8; malformed bytes are an error, as for Python). */
    public static IniFile read(Path file, Map<String, String> builtInDefaults)
            throws IOException, ConfigException {
        return parse(file, readUtf8(file), builtInDefaults);
    }

    /**
     * Parses INI text.
     *
     * @param file named in error messages and the result; may be null
     * @param builtInDefaults the [DEFAULT] values a program passes to {@code ConfigParser(defaults)}
     *     (keys lower-cased here, values taken as they are, line 0); the file may override them
     */
    public static IniFile parse(Path file, String text, Map<String, String> builtInDefaults)
            throws ConfigException {
        return new Run(file, builtInDefaults).parse(text);
    }

    /** Decodes a file's bytes as strict UTF-8, naming the line of the first malformed byte. */
    public static String readUtf8(Path file) throws IOException, ConfigException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
            throw new ConfigException(file, line, null, "not valid UTF-8 text");
        }
        try {
            result = decoder.flush(out);
            if (result.isError()) result.throwException();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, null, "not valid UTF-8 text", e);
        }
        return out.flip().toString();
    }

    /** Per-option state while reading: the value lines so far. */
    private static final class Pending {
        final List<String> lines;
        final int line;
        final boolean builtIn;

        Pending(List<String> lines, int line, boolean builtIn) {
            this.lines = lines;
            this.line = line;
            this.builtIn = builtIn;
        }

        IniValue join() {
            if (builtIn) return new IniValue(lines.get(0), line);
            return new IniValue(PyText.rstrip(String.join("\n", lines)), line);
        }
    }

    private static final class Section {
        final String name;
        int line;
        final LinkedHashMap<String, Pending> options = new LinkedHashMap<>();

        Section(String name, int line) {
            this.name = name;
            this.line = line;
        }

        IniSection build() {
            LinkedHashMap<String, IniValue> values = new LinkedHashMap<>();
            options.forEach((k, v) -> values.put(k, v.join()));
            return new IniSection(name, line, values);
        }
    }

    /** One parse; mirrors the state variables of {@code RawConfigParser._read}. */
    private static final class Run {
        private final Path file;
        private final Section defaults = new Section(IniFile.DEFAULT_SECTION, 0);
        private final LinkedHashMap<String, Section> sections = new LinkedHashMap<>();
        /** Where each section / (section, option) was first seen in this file: strict mode. */
        private final Map<String, Integer> sectionLines = new HashMap<>();
        private final Map<String, Integer> optionLines = new HashMap<>();
        private final List<Integer> badLines = new ArrayList<>();
        private String firstBadReason;

        private Section current;
        private String optionName;
        private int indentLevel;

        Run(Path file, Map<String, String> builtInDefaults) {
            this.file = file;
            builtInDefaults.forEach((k, v) ->
                    defaults.options.put(PyText.lower(k), new Pending(List.of(v), 0, true)));
        }

        IniFile parse(String text) throws ConfigException {
            int lineNo = 0;
            int pos = 0;
            int n = text.length();
            while (pos < n) {
                int end = pos;
                while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
                String line = text.substring(pos, end);
                if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
                    end++;
                }
                pos = end + 1;
                line(++lineNo, line);
            }
            if (!badLines.isEmpty()) {
                String problem = firstBadReason;
                if (badLines.size() > 1) {
                    List<String> others = badLines.subList(1, badLines.size()).stream()
                            .map(String::valueOf).toList();
                    problem += " (more malformed lines: " + String.join(", ", others) + ")";
                }
                throw new ConfigException(file, badLines.get(0), null, problem);
            }
            List<IniSection> built = new ArrayList<>();
            for (Section s : sections.values()) built.add(s.build());
            return new IniFile(file, defaults.build(), built);
        }

        private void line(int lineNo, String line) throws ConfigException {
            String stripped = PyText.strip(line);
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            if (comment || stripped.isEmpty()) {
                // An empty (not comment) line belongs to the value being read, if any.
                if (!comment && current != null && optionName != null && !optionName.isEmpty()) {
                    current.options.get(optionName).lines.add("");
                }
                return;
            }
            int indent = PyText.firstNonSpace(line);
            if (current != null && optionName != null && !optionName.isEmpty() && indent > indentLevel) {
                current.options.get(optionName).lines.add(stripped);
                return;
            }
            indentLevel = indent;
            Matcher header = SECTION.matcher(stripped);
            if (header.lookingAt()) {
                startSection(lineNo, header.group(1));
            } else if (current == null) {
                throw new ConfigException(file, lineNo, null,
                        "no section header before this line (the file must start with a header"
                                + " such as [DEFAULT])");
            } else {
                option(lineNo, stripped);
            }
        }

        private void startSection(int lineNo, String name) throws ConfigException {
            if (sections.containsKey(name)) {
                throw new ConfigException(file, lineNo, "[" + name + "]",
                        "duplicate section (first on line " + sectionLines.get(name) + ")");
            }
            if (name.equals(IniFile.DEFAULT_SECTION)) {
                current = defaults;
                if (defaults.line == 0) defaults.line = lineNo;
            } else {
                current = new Section(name, lineNo);
                sections.put(name, current);
                sectionLines.put(name, lineNo);
            }
            optionName = null;
        }

        private void option(int lineNo, String stripped) throws ConfigException {
            // OPTCRE: the shortest name before the first delimiter, '=' or ':'.
            int delimiter = indexOfDelimiter(stripped);
            if (delimiter < 0) {
                bad(lineNo, "neither a section header, a \"key = value\" line, an indented"
                        + " continuation line nor a comment");
                return;
            }
            String rawName = stripped.substring(0, delimiter);
            if (rawName.isEmpty()) {
                bad(lineNo, "option name missing before '" + stripped.charAt(0) + "'");
            }
            optionName = PyText.lower(PyText.rstrip(rawName));
            String key = current.name + "\0" + optionName;
            Integer first = optionLines.putIfAbsent(key, lineNo);
            if (first != null) {
                throw new ConfigException(file, lineNo, optionName,
                        "duplicate option in section [" + current.name + "] (first on line "
                                + first + ")");
            }
            String value = PyText.strip(stripped.substring(delimiter + 1));
            List<String> lines = new ArrayList<>();
            lines.add(value);
            current.options.put(optionName, new Pending(lines, lineNo, false));
        }

        private static int indexOfDelimiter(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '=' || c == ':') return i;
            }
            return -1;
        }

        private void bad(int lineNo, String reason) {
            if (badLines.isEmpty()) firstBadReason = reason;
            badLines.add(lineNo);
        }
    }
}
