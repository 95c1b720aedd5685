package org.mandosjava.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed INI file: the [DEFAULT] section (built-in defaults plus the file's own) and the other
 * sections in file order. Values are raw; see {@link BasicInterpolation} for {@code %(name)s}.
 *
 * @param file where it was read from (for messages), or null
 * @param defaults the [DEFAULT] section
 * @param sections every other section, in the order of their headers
 */
public record IniFile(Path file, IniSection defaults, List<IniSection> sections) {
    public static final String DEFAULT_SECTION = "DEFAULT";

    public IniFile {
        Objects.requireNonNull(defaults, "defaults");
        sections = List.copyOf(sections);
    }

    /** A section by exact (case-sensitive) name; "DEFAULT" gives the defaults. */
    public Optional<IniSection> section(String name) {
        if (DEFAULT_SECTION.equals(name)) return Optional.of(defaults);
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
