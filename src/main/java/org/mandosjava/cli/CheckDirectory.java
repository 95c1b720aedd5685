package org.mandosjava.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A private temporary directory (rwx------) for one part of {@code --check}, removed when that part
 * ends, and also when the check itself is ended by a signal (an administrator's Ctrl-C), whose exit
 * runs no {@code finally} block of the check's threads: the generated configuration it holds is not
 * left behind in /tmp.
 */
final class CheckDirectory implements AutoCloseable {
    private final Path path;
    private final Thread onSignal;

    private CheckDirectory(Path path) {
        this.path = path;
        this.onSignal = new Thread(() -> {
            try {
                SelfCheck.deleteTree(path);
            } catch (IOException e) {
                // This JVM is ending: there is no one left to tell.
            }
        }, "check-cleanup");
        Runtime.getRuntime().addShutdownHook(onSignal);
    }

    /** A new directory in the JVM's temporary directory. */
    static CheckDirectory create() throws IOException {
        return new CheckDirectory(Files.createTempDirectory("mandos-check"));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook removes the directory
        }
        SelfCheck.deleteTree(path);
    }
}
