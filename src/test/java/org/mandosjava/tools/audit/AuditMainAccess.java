package org.mandosjava.tools.audit;

import java.io.PrintStream;

/** Lets tests in other packages run {@code mandos-audit} with their own output streams. */
public final class AuditMainAccess {
    private AuditMainAccess() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return AuditMain.run(args, out, err);
    }
}
