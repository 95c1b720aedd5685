package org.mandosjava.config;

import java.util.Map;

/** configparser's {@code getboolean}: the words of {@code BOOLEAN_STATES}, case-insensitive. */
public final class Booleans {
    private static final Map<String, Boolean> WORDS = Map.of(
            "1", true, "yes", true, "true", true, "on", true,
            "0", false, "no", false, "false", false, "off", false);

    private Booleans() {}

    /** @throws IllegalArgumentException naming the text when it is none of the words */
    public static boolean parse(String text) {
        Boolean value = WORDS.get(PyText.lower(text));
        if (value == null) {
            throw new IllegalArgumentException("not a boolean: \"" + text
                    + "\" (write 1, yes, true, on or 0, no, false, off)");
        }
        return value;
    }
}
