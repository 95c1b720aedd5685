package org.mandosjava.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * Reads and parses a file (UTF-8; malformed bytes are an error, as for Python), a line at a time:
     * the file is never held whole in memory.
     */
    public static IniFile read(Path file, Map<String, String> builtInDefaults)
            throws IOException, ConfigException {
        Run run = new Run(file, builtInDefaults, null);
        readLines(file, run);
        return run.finish();
    }

    /** Told of each section as soon as it is complete; see {@link #stream}. */
    @FunctionalInterface
    public interface SectionListener {
        /** @param defaults [DEFAULT] as it is so far (built-in defaults and the file's, up to here) */
        void section(IniSection section, IniSection defaults);
    }

    /**
     * Reads a file like {@link #read}, but hands each section other than [DEFAULT] to
     * {@code listener} when it ends instead of keeping it, so that reading 100,000 clients does not
     * hold all their text at once. The [DEFAULT] given with a section is final unless the file
     * changes [DEFAULT] after its first other section (Python applies [DEFAULT] wherever it is): then
     * this returns false and the caller must use {@link #read}. Syntax errors are thrown after the
     * listener has seen the sections before them.
     *
     * @return whether every section was given the final [DEFAULT]
     */
    public static boolean stream(Path file, Map<String, String> builtInDefaults, SectionListener listener)
            throws IOException, ConfigException {
        Run run = new Run(file, builtInDefaults, listener);
        readLines(file, run);
        run.finish();
        return !run.defaultsChangedAfterSections;
    }

    private static void readLines(Path file, Run run) throws IOException, ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            Utf8Lines lines = new Utf8Lines(in);
            ConfigException syntax = null;
            try {
                for (CharSequence line = lines.next(); line != null; line = lines.next()) {
                    // After a syntax error only the decoding goes on: Python decodes the whole
                    // file before it parses, so a malformed byte further on is what it reports.
                    if (syntax == null) {
                        try {
                            run.line(lines.number(), line, lines.indent());
                        } catch (ConfigException e) {
                            syntax = e;
                        }
                    }
                }
            } catch (CharacterCodingException e) {
                throw new ConfigException(file, lines.number(), null, "not valid UTF-8 text");
            }
            if (syntax != null) throw syntax;
        }
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
        Run run = new Run(file, builtInDefaults, null);
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
            run.line(++lineNo, PyText.strip(line), PyText.firstNonSpace(line));
        }
        return run.finish();
    }

    /**
     * One option's value: its first line, and once the option has ended its whole value. Built-in
     * defaults have only a value.
     */
    private static final class Pending {
        String value;
        final int line;
        final boolean builtIn;

        Pending(String first, int line, boolean builtIn) {
            this.value = first;
            this.line = line;
            this.builtIn = builtIn;
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
            options.forEach((k, v) -> values.put(k, new IniValue(v.value, v.line)));
            return new IniSection(name, line, values);
        }
    }

    /** One parse; mirrors the state variables of {@code RawConfigParser._read}. */
    private static final class Run {
        private final Path file;
        private final Section defaults = new Section(IniFile.DEFAULT_SECTION, 0);
        /** First line of each section seen (strict mode: no section twice, [DEFAULT] excepted). */
        private final LinkedHashMap<String, Integer> sectionLines = new LinkedHashMap<>();
        /**
         * Sections done. A section other than [DEFAULT] cannot be reopened, so it is built when the
         * next header comes: the value lines of 100,000 sections are not all kept until the end.
         */
        private final List<IniSection> built = new ArrayList<>();
        private final List<Integer> badLines = new ArrayList<>();
        private String firstBadReason;

        private Section current;
        private String optionName;
        private int indentLevel;
        /**
         * The option whose continuation lines are being read, if it has any yet; its value so far
         * is in {@link #continued}. A multi-line secret is most of a large clients.conf: its lines
         * go straight into this one reused buffer, and the value is made from it once, at the end
         * of the option, rather than a string per line and a joined copy of them.
         */
        private Pending continuing;
        private final StringBuilder continued = new StringBuilder();

        /** Null: keep the sections for the IniFile; otherwise give each to it and keep none. */
        private final SectionListener listener;
        private boolean sectionsClosed;
        private boolean defaultsChangedAfterSections;
        private IniSection defaultsSoFar;

        Run(Path file, Map<String, String> builtInDefaults, SectionListener listener) {
            this.file = file;
            this.listener = listener;
            builtInDefaults.forEach((k, v) ->
                    defaults.options.put(PyText.lower(k), new Pending(v, 0, true)));
        }

        IniFile finish() throws ConfigException {
            if (!badLines.isEmpty()) {
                String problem = firstBadReason;
                if (badLines.size() > 1) {
                    List<String> others = badLines.subList(1, badLines.size()).stream()
                            .map(String::valueOf).toList();
                    problem += " (more malformed lines: " + String.join(", ", others) + ")";
                }
                throw new ConfigException(file, badLines.get(0), null, problem);
            }
            closeSection();
            return new IniFile(file, defaults.build(), built);
        }

        /**
         * @param stripped the line without its surrounding whitespace ({@code PyText.strip}); read
         *     during this call only
         * @param indent where its text began in the whole line ({@code PyText.firstNonSpace})
         */
        void line(int lineNo, CharSequence stripped, int indent) throws ConfigException {
            boolean empty = stripped.isEmpty();
            boolean comment = !empty && (stripped.charAt(0) == '#' || stripped.charAt(0) == ';');
            if (comment || empty) {
                // An empty (not comment) line belongs to the value being read, if any.
                if (!comment && current != null && optionName != null && !optionName.isEmpty()) {
                    continueValue("");
                }
                return;
            }
            if (current != null && optionName != null && !optionName.isEmpty() && indent > indentLevel) {
                continueValue(stripped);
                return;
            }
            indentLevel = indent;
            // Only a line starting with '[' can match: most lines of a large file are options.
            Matcher header = stripped.charAt(0) == '[' ? SECTION.matcher(stripped) : null;
            if (header != null && header.lookingAt()) {
                startSection(lineNo, header.group(1));
            } else if (current == null) {
                throw new ConfigException(file, lineNo, null,
                        "no section header before this line (the file must start with a header"
                                + " such as [DEFAULT])");
            } else {
                option(lineNo, stripped.toString());
            }
        }

        /** {@code lines.append(value)}: one more line of the current option's value. */
        private void continueValue(CharSequence stripped) {
            if (continuing == null) {
                continuing = current.options.get(optionName);
                continued.append(continuing.value);
            }
            continued.append('\n').append(stripped);
            if (current == defaults) defaultsSoFar = null;
        }

        /**
         * The current option has all its lines: its value is {@code "\n".join(lines).rstrip()}
         * (blank lines inside it kept, those at the end dropped).
         */
        private void endValue() {
            if (continuing == null) return;
            int end = PyText.rstripEnd(continued);
            // Only blank lines followed: the value is its first line, as it was.
            if (end != continuing.value.length()) continuing.value = continued.substring(0, end);
            continued.setLength(0);
            continuing = null;
        }

        private void startSection(int lineNo, String name) throws ConfigException {
            Integer first = sectionLines.get(name);
            if (first != null) {
                throw new ConfigException(file, lineNo, "[" + name + "]",
                        "duplicate section (first on line " + first + ")");
            }
            closeSection();
            if (name.equals(IniFile.DEFAULT_SECTION)) {
                current = defaults;
                if (defaults.line == 0) defaults.line = lineNo;
            } else {
                current = new Section(name, lineNo);
                sectionLines.put(name, lineNo);
            }
            optionName = null;
        }

        private void option(int lineNo, String stripped) throws ConfigException {
            endValue();
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
            // Strict mode: set twice in this file ([DEFAULT] may reopen; built-in defaults may be set).
            Pending first = current.options.get(optionName);
            if (first != null && !first.builtIn) {
                throw new ConfigException(file, lineNo, optionName,
                        "duplicate option in section [" + current.name + "] (first on line "
                                + first.line + ")");
            }
            String value = PyText.strip(stripped.substring(delimiter + 1));
            current.options.put(optionName, new Pending(value, lineNo, false));
            if (current == defaults) {
                defaultsSoFar = null;
                if (sectionsClosed) defaultsChangedAfterSections = true;
            }
        }

        private void closeSection() {
            endValue();
            if (current != null && current != defaults) {
                IniSection section = current.build();
                if (listener == null) {
                    built.add(section);
                } else {
                    if (defaultsSoFar == null) defaultsSoFar = defaults.build();
                    listener.section(section, defaultsSoFar);
                }
                sectionsClosed = true;
            }
            current = null;
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
