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
    private final ExitCleanup cleanup;

    private CheckDirectory(Path path) {
        this.path = path;
        this.cleanup = new ExitCleanup("check-cleanup", () -> SelfCheck.deleteTree(path));
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
        cleanup.close();
    }
}
