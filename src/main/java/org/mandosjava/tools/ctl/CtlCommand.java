package org.mandosjava.tools.ctl;

/**
 * One action of a mandos-ctl run, in command-line order. Property setters carry the D-Bus property
 * name and value; the rest are the original's command classes.
 */
sealed interface CtlCommand {
    record DumpJson() implements CtlCommand {}

    record PrintTable(boolean verbose) implements CtlCommand {}

    record IsEnabled() implements CtlCommand {}

    record Approve(boolean approve) implements CtlCommand {}

    record Remove() implements CtlCommand {}

    /** Set {@code property} to {@code value} (Boolean, String, Long milliseconds, or byte[]). */
    record SetProperty(String property, Object value) implements CtlCommand {}
}
