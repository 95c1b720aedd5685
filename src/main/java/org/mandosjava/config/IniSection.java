package org.mandosjava.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One section of an INI file: its own options only (no [DEFAULT] inheritance), keys lower-cased, in
 * the order Python's configparser keeps them (first appearance).
 *
 * @param name the section name, case as written
 * @param line the line of its first header, or 0 when it never appeared (an implicit [DEFAULT])
 * @param options the options, unmodifiable
 */
public record IniSection(String name, int line, Map<String, IniValue> options) {
    public IniSection {
        Objects.requireNonNull(name, "name");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The raw value of an option of this section itself, or null. */
    public IniValue get(String option) {
        return options.get(option);
    }
}
