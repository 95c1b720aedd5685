package org.mandosjava;

import java.util.Arrays;

/**
 * Entry point of the one runnable jar: the first argument names the tool, as the bin/ scripts do,
 * so every program the system ships is in one artifact. The benchmark is not one of them: it lives
 * in the test jar (bin/mandos-bench).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: Launcher TOOL [ARGS...]   (TOOL: mandos, mandos-keygen, mandos-client, mandos-ctl, mandos-audit)");
            System.exit(64);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int status = switch (args[0]) {
            case "mandos" -> org.mandosjava.cli.ServerMain.run(rest);
            case "mandos-keygen" -> org.mandosjava.tools.keygen.KeygenMain.run(rest);
            case "mandos-client" -> org.mandosjava.tools.client.ClientMain.run(rest);
            case "mandos-ctl" -> org.mandosjava.tools.ctl.CtlMain.run(rest);
            case "mandos-audit" -> org.mandosjava.tools.audit.AuditMain.run(rest);
            default -> {
                System.err.println("unknown tool: " + args[0]);
                yield 64;
            }
        };
        System.exit(status);
    }
}
