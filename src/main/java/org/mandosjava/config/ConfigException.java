package org.mandosjava.config;

import java.nio.file.Path;

/**
 * A mistake in a configuration file, located precisely enough for an administrator to fix it:
 * rendered as {@code file:line: key: what is wrong}.
 */
public final class ConfigException extends Exception {
    private final Path file;
    private final int line;
    private final String key;
    private final String problem;

    /**
     * @param file the file, or null when not known
     * @param line 1-based line number, or 0 when not known
     * @param key the option or section the problem is about, or null
     * @param problem what is wrong, in words
     */
    public ConfigException(Path file, int line, String key, String problem) {
        this(file, line, key, problem, null);
    }

    public ConfigException(Path file, int line, String key, String problem, Throwable cause) {
        super(format(file, line, key, problem), cause);
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    private static String format(Path file, int line, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) sb.append(':').append(line);
            sb.append(": ");
        }
        if (key != null) sb.append(key).append(": ");
        return sb.append(problem).toString();
    }

    public Path file() { return file; }
    public int line() { return line; }
    public String key() { return key; }
    public String problem() { return problem; }
}
