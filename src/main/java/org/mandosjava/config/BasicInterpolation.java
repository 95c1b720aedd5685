package org.mandosjava.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code configparser.BasicInterpolation}, as applied by {@code ConfigParser.items(section)}
 * and {@code ConfigParser.get(section, option)}: {@code %(name)s} is replaced by option {@code name}
 * (looked up lower-cased) of the same section or [DEFAULT], recursively when the replacement itself
 * contains {@code %}; {@code %%} gives {@code %}; any other {@code %} is an error, as is an unknown
 * name or nesting deeper than {@value #MAX_DEPTH} levels.
 */
public final class BasicInterpolation {
    /** configparser.MAX_INTERPOLATION_DEPTH. */
    public static final int MAX_DEPTH = 10;

    private BasicInterpolation() {}

    /**
     * {@code config.items(section)}: every option of [DEFAULT] and of the section (the section's
     * value wins), interpolated, in Python's order (defaults first). Values keep the line of the
     * option they came from. Interpolating stops at the first option in error, as Python does.
     *
     * @param section a section name, or "DEFAULT"
     */
    public static Map<String, IniValue> items(IniFile ini, String section) throws ConfigException {
        Map<String, IniValue> items = rawItems(ini, section);
        // Only a value with a % changes. The changed ones go in after the loop, since every value is
        // interpolated from the raw ones: the others stay as they are, and this runs once per client
        // (100,000 of them) without a second map and a second set of values.
        List<Map.Entry<String, IniValue>> interpolated = null;
        for (Map.Entry<String, IniValue> e : items.entrySet()) {
            if (e.getValue().text().indexOf('%') < 0) continue;
            IniValue value = new IniValue(interpolate(ini, section, items, e.getKey()), e.getValue().line());
            if (interpolated == null) interpolated = new ArrayList<>();
            interpolated.add(Map.entry(e.getKey(), value));
        }
        if (interpolated != null) for (Map.Entry<String, IniValue> e : interpolated) items.put(e.getKey(), e.getValue());
        return items;
    }

    /** {@code config.get(section, option)}, or null when the option does not exist. */
    public static IniValue get(IniFile ini, String section, String option) throws ConfigException {
        Map<String, IniValue> raw = rawItems(ini, section);
        IniValue value = raw.get(option);
        if (value == null) return null;
        return new IniValue(interpolate(ini, section, raw, option), value.line());
    }

    /** [DEFAULT] overlaid with the section, uninterpolated; the map interpolation looks names up in. */
    public static Map<String, IniValue> rawItems(IniFile ini, String section) {
        IniSection s = ini.section(section).orElseThrow(
                () -> new IllegalArgumentException("no section " + section));
        Map<String, IniValue> defaults = ini.defaults().options();
        Map<String, IniValue> raw = LinkedHashMap.newLinkedHashMap(
                defaults.size() + (s == ini.defaults() ? 0 : s.options().size()));
        raw.putAll(defaults);
        if (s != ini.defaults()) raw.putAll(s.options());
        return raw;
    }

    private static String interpolate(IniFile ini, String section, Map<String, IniValue> map,
            String option) throws ConfigException {
        String text = map.get(option).text();
        if (text.indexOf('%') < 0) return text; // most values, and every secret: no copy
        StringBuilder out = new StringBuilder();
        new Expansion(ini, section, map, option).expand(out, text, 1);
        return out.toString();
    }

    /** Expanding one option's value; names that option in every error. */
    private record Expansion(IniFile ini, String section, Map<String, IniValue> map, String option) {
        void expand(StringBuilder out, String rest, int depth) throws ConfigException {
            if (depth > MAX_DEPTH) {
                throw error("%(name)s references nested more than " + MAX_DEPTH
                        + " levels deep (a reference loop?)");
            }
            while (!rest.isEmpty()) {
                int p = rest.indexOf('%');
                if (p < 0) {
                    out.append(rest);
                    return;
                }
                out.append(rest, 0, p);
                rest = rest.substring(p);
                char next = rest.length() > 1 ? rest.charAt(1) : '\0';
                if (rest.length() > 1 && next == '%') {
                    out.append('%');
                    rest = rest.substring(2);
                } else if (rest.length() > 1 && next == '(') {
                    // KEYCRE: %\(([^)]+)\)s
                    int close = rest.indexOf(')', 2);
                    if (close <= 2 || close + 1 >= rest.length() || rest.charAt(close + 1) != 's') {
                        throw error("bad interpolation reference: '%(' must be followed by"
                                + " name)s (write %% for a literal %)");
                    }
                    String name = PyText.lower(rest.substring(2, close));
                    rest = rest.substring(close + 2);
                    IniValue v = map.get(name);
                    if (v == null) {
                        throw error("%(" + name + ")s names no option of this section or [DEFAULT]");
                    }
                    if (v.text().indexOf('%') >= 0) {
                        expand(out, v.text(), depth + 1);
                    } else {
                        out.append(v.text());
                    }
                } else {
                    throw error("'%' must be followed by '%' or '(' (write %% for a literal %)");
                }
            }
        }

        private ConfigException error(String problem) {
            String where = IniFile.DEFAULT_SECTION.equals(section) ? "" : " (in [" + section + "])";
            return new ConfigException(ini.file(), map.get(option).line(), option, problem + where);
        }
    }
}
