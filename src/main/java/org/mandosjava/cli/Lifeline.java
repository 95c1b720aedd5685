package org.mandosjava.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ties a daemon started for a while by another process (the AOT cache's training) to that process:
 * the daemon holds the read end of a pipe on its standard input, the other process the write end,
 * and when the pipe closes, however the other process ended (even killed outright), the daemon
 * stops as on SIGTERM. A server started by anyone else has no lifeline and never reads its input.
 */
final class Lifeline {
    /** System property; {@code stdin} gives the daemon a lifeline on its standard input. */
    static final String PROPERTY = "mandos.lifeline";
    static final String ON_STDIN = "stdin";

    private Lifeline() {}

    static boolean wanted() {
        return ON_STDIN.equals(System.getProperty(PROPERTY));
    }

    /** The JVM option that gives a daemon its lifeline. */
    static String option() {
        return "-D" + PROPERTY + "=" + ON_STDIN;
    }

    /**
     * Reads {@code in} on a thread of its own, discarding what comes, and runs {@code ended} once it
     * ends or fails.
     */
    static Thread watch(InputStream in, Runnable ended) {
        return Thread.ofPlatform().name("lifeline").daemon(true).start(() -> {
            byte[] sink = new byte[256];
            try {
                while (in.read(sink) >= 0) {
                    // Nothing is ever sent: only the end matters.
                }
            } catch (IOException e) {
                // A broken pipe is an end too.
            }
            ended.run();
        });
    }
}
