package org.mandosjava.config;

/**
 * One option value as written in an INI file (continuation lines joined with {@code \n}).
 *
 * @param text the value, not interpolated
 * @param line the 1-based line of the option's key, or 0 for a built-in default
 */
public record IniValue(String text, int line) {
    public IniValue {
        java.util.Objects.requireNonNull(text, "text");
    }
}
