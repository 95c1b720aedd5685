package org.mandosjava.platform;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** I/O failures in the words administrators know: strerror(3)'s, as {@code FILE: reason}. */
public final class IoErrors {
    private IoErrors() {}

    /** The operating system's reason alone, e.g. "Permission denied". */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getReason();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code FILE: reason} when the file is known, else the reason. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) return fse.getFile() + ": " + reason(e);
        return reason(e);
    }
}
