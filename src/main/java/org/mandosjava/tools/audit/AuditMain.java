package org.mandosjava.tools.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.mandosjava.audit.AuditFileVerifier;

/**
 * {@code mandos-audit verify PATH}: checks an audit file's hash chain. Exit status 0 if intact, 1
 * with the first broken record's number (its line, from 1) if not, 2 for a usage error or a file
 * that cannot be read.
 */
public final class AuditMain {
    static final int INTACT = 0;
    static final int BROKEN = 1;
    static final int USAGE = 2;

    private AuditMain() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("verify")) {
            err.println("usage: mandos-audit verify PATH");
            return USAGE;
        }
        Path file = Path.of(args[1]);
        AuditFileVerifier.Result result;
        try {
            result = AuditFileVerifier.verify(file);
        } catch (IOException e) {
            err.println("mandos-audit: cannot read " + file + ": " + e.getMessage());
            return USAGE;
        }
        if (result.intact()) {
            out.println(file + ": intact, " + result.records() + " records");
            return INTACT;
        }
        out.println(file + ": broken at record " + result.broken() + ": " + result.problem());
        return BROKEN;
    }
}
