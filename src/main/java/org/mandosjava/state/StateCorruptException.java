package org.mandosjava.state;

import java.io.IOException;
import java.nio.file.Path;

/** A state file that exists but cannot be trusted: torn, altered, or of an unknown format. */
public final class StateCorruptException extends IOException {
    private final Path file;

    public StateCorruptException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public StateCorruptException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The (first) file concerned. */
    public Path file() {
        return file;
    }
}
