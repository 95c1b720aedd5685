package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Processes a program left running that can only be recognised by a directory they name, such as
 * the gpg-agents the Python Mandos server leaves behind in its TMPDIR (one per start).
 */
public final class LeftoverProcesses {
    private LeftoverProcesses() {}

    /** Sends SIGTERM, by PID, to every other process whose command line names {@code dir}. */
    public static void stopNaming(Path dir) {
        String marker = dir.toString();
        try (var all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> {
                        try {
                            return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).contains(marker);
                        } catch (IOException | RuntimeException e) {
                            return false; // gone meanwhile, or not readable
                        }
                    })
                    .forEach(ProcessHandle::destroy);
        }
    }
}
