package org.mandosjava.cli;

/** The {@code mandos} server command. */
public final class ServerMain {
    private ServerMain() {}

    public static int run(String[] args) {
        System.err.println("mandos: not built yet");
        return 1;
    }
}
