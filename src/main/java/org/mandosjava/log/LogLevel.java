package org.mandosjava.log;

import java.util.Locale;
import java.util.logging.Level;

/** The original's level names (Python logging), mapped onto java.util.logging. */
public final class LogLevel {
    /** Python's CRITICAL, above SEVERE (which we print as ERROR). */
    public static final Level CRITICAL = new Level("CRITICAL", 1100) {};

    private LogLevel() {}

    /**
     * Parses a {@code --debuglevel} value: CRITICAL, ERROR, WARNING, INFO or DEBUG, any case.
     *
     * @throws IllegalArgumentException naming the accepted words (the original crashes instead)
     */
    public static Level parse(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "CRITICAL" -> CRITICAL;
            case "ERROR" -> Level.SEVERE;
            case "WARNING" -> Level.WARNING;
            case "INFO" -> Level.INFO;
            case "DEBUG" -> Level.FINE;
            default -> throw new IllegalArgumentException("unknown log level '" + name
                    + "' (use CRITICAL, ERROR, WARNING, INFO or DEBUG)");
        };
    }

    /** The Python name of a level, as printed in log lines. */
    public static String nameOf(Level level) {
        int v = level.intValue();
        if (v >= CRITICAL.intValue()) return "CRITICAL";
        if (v >= Level.SEVERE.intValue()) return "ERROR";
        if (v >= Level.WARNING.intValue()) return "WARNING";
        if (v >= Level.INFO.intValue()) return "INFO";
        return "DEBUG";
    }

    /** syslog(3) priority of a level (also the journald {@code <N>} prefix). */
    static int syslogPriority(Level level) {
        int v = level.intValue();
        if (v >= CRITICAL.intValue()) return 2;
        if (v >= Level.SEVERE.intValue()) return 3;
        if (v >= Level.WARNING.intValue()) return 4;
        if (v >= Level.INFO.intValue()) return 6;
        return 7;
    }
}
