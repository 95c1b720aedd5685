package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runtime expansion of a checker command (spec §4): {@code %(name)s} is replaced by the client's
 * attribute, formatted as Python's {@code str()} would and quoted as {@code shlex.quote} would;
 * {@code %%} becomes {@code %}. The attribute set is the original's.
 */
public final class CheckerCommand {
    /** Attributes the original allows in a checker command. */
    public static final Set<String> ATTRIBUTES = Set.of("approval_delay", "approval_duration", "created",
            "enabled", "expires", "key_id", "fingerprint", "host", "interval", "last_approval_request",
            "last_checked_ok", "last_enabled", "name", "timeout", "dbus_object_path");
    private static final Pattern SAFE = Pattern.compile("[\\w@%+=:,./-]+"); // \w is ASCII-only in Java, as in shlex

    private CheckerCommand() {}

    /**
     * Checks that {@code template} only uses known attributes and valid {@code %} syntax, so a
     * mistake is found at startup instead of at the first check (the original crashes there).
     *
     * @return null if valid, else what is wrong
     */
    public static String problem(String template) {
        try {
            expand(template, key -> "");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Expands {@code template} with values from {@code attributes} (already Python-formatted). */
    public static String expand(String template, Map<String, String> attributes) {
        return expand(template, key -> {
            String value = attributes.get(key);
            if (value == null) throw new IllegalArgumentException("unknown attribute %(" + key + ")s");
            return value;
        });
    }

    private static String expand(String template, java.util.function.Function<String, String> lookup) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            if (template.startsWith("%%", i)) {
                out.append('%');
                i += 2;
                continue;
            }
            if (!template.startsWith("%(", i)) {
                throw new IllegalArgumentException("a lone '%' at position " + i + " (write %% for a literal %)");
            }
            int close = template.indexOf(')', i);
            if (close < 0 || close + 1 >= template.length() || template.charAt(close + 1) != 's') {
                throw new IllegalArgumentException("bad %(...) at position " + i + " (only %(name)s is supported)");
            }
            String key = template.substring(i + 2, close);
            if (!ATTRIBUTES.contains(key)) {
                throw new IllegalArgumentException("unknown attribute %(" + key + ")s (known: "
                        + String.join(", ", new java.util.TreeSet<>(ATTRIBUTES)) + ")");
            }
            out.append(quote(lookup.apply(key)));
            i = close + 2;
        }
        return out.toString();
    }

    /** Python's {@code shlex.quote}. */
    static String quote(String s) {
        if (s.isEmpty()) return "''";
        if (SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** Python's {@code str(timedelta)}: {@code 0:05:00}, {@code 1 day, 2:03:04}, {@code 0:00:01.500000}. */
    static String str(Duration d) {
        long micros = d.toNanos() / 1000;
        long days = Math.floorDiv(micros, 86_400_000_000L);
        long rest = Math.floorMod(micros, 86_400_000_000L);
        long seconds = rest / 1_000_000;
        long fraction = rest % 1_000_000;
        String clock = String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        if (fraction != 0) clock += String.format(".%06d", fraction);
        if (days == 0) return clock;
        return days + (Math.abs(days) == 1 ? " day, " : " days, ") + clock;
    }

    /** Python's {@code str(datetime)} of a naive UTC datetime; {@code None} for null. */
    static String str(Instant t) {
        if (t == null) return "None";
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        String text = String.format("%04d-%02d-%02d %02d:%02d:%02d", local.getYear(), local.getMonthValue(),
                local.getDayOfMonth(), local.getHour(), local.getMinute(), local.getSecond());
        int micros = local.getNano() / 1000;
        return micros == 0 ? text : text + String.format(".%06d", micros);
    }

    static String str(boolean b) {
        return b ? "True" : "False";
    }
}
