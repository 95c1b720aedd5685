package org.mandosjava.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** This process's open file descriptors and its limit on them (RLIMIT_NOFILE), as Linux's /proc says. */
final class OpenFiles {
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {}

    /** The soft limit, from a /proc/PID/limits text; empty if absent or "unlimited". */
    static OptionalLong softLimit(String limitsText) {
        for (String line : limitsText.split("\n")) {
            if (!line.startsWith("Max open files")) continue;
            String[] f = line.substring("Max open files".length()).trim().split("\\s+");
            try {
                return OptionalLong.of(Long.parseLong(f[0]));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** Describes the limit for a log line: "limit 1024", or "limit unknown". */
    static String describeLimit() {
        try {
            OptionalLong l = softLimit(Files.readString(LIMITS));
            return l.isPresent() ? "limit " + l.getAsLong() : "limit unknown";
        } catch (IOException e) {
            return "limit unknown";
        }
    }

    /** Open descriptors now, or -1 if /proc cannot say (listing it needs one more descriptor, too). */
    static long count() {
        long n = 0;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(FDS)) {
            for (Path ignored : d) n++;
            return n;
        } catch (IOException e) {
            return -1;
        }
    }
}
