package org.mandosjava.keys;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One-line descriptions of file errors for command-line tools: {@code FILE: reason}. */
public final class FileErrors {
    private FileErrors() {}

    public static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            String reason = e instanceof NoSuchFileException ? "No such file or directory"
                    : e instanceof AccessDeniedException ? "Permission denied"
                    : fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
            return fse.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
