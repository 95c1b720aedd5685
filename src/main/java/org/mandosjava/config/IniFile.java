package org.mandosjava.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed INI file: the [DEFAULT] section (built-in defaults plus the file's own) and the other
 * sections in file order. Values are raw; see {@link BasicInterpolation} for {@code %(name)s}.
 * Immutable.
 */
public final class IniFile {
    public static final String DEFAULT_SECTION = "DEFAULT";

    private final Path file;
    private final IniSection defaults;
    private final List<IniSection> sections;
    /** Sections by name: a scan per lookup made reading 100,000 clients quadratic. */
    private final Map<String, IniSection> byName;

    /**
     * @param file where it was read from (for messages), or null
     * @param defaults the [DEFAULT] section
     * @param sections every other section, in the order of their headers
     */
    public IniFile(Path file, IniSection defaults, List<IniSection> sections) {
        this.file = file;
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.sections = List.copyOf(sections);
        Map<String, IniSection> index = new HashMap<>(this.sections.size() * 2);
        for (IniSection s : this.sections) index.putIfAbsent(s.name(), s);
        this.byName = index;
    }

    public Path file() {
        return file;
    }

    public IniSection defaults() {
        return defaults;
    }

    public List<IniSection> sections() {
        return sections;
    }

    /** A section by exact (case-sensitive) name; "DEFAULT" gives the defaults. */
    public Optional<IniSection> section(String name) {
        if (DEFAULT_SECTION.equals(name)) return Optional.of(defaults);
        return Optional.ofNullable(byName.get(name));
    }
}
