package org.mandosjava.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * clients.conf holds every client's secret; the original server never checks who can read it. We
 * warn (but still start) when its group or others may read it.
 */
public final class ConfigPermissions {

    private ConfigPermissions() {}

    /** The warning for a file readable by group or others, or empty (also when unknowable). */
    public static Optional<String> exposure(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        boolean group = perms.contains(PosixFilePermission.GROUP_READ);
        boolean others = perms.contains(PosixFilePermission.OTHERS_READ);
        if (!group && !others) return Optional.empty();
        String who = group && others ? "its group and all users" : group ? "its group" : "all users";
        return Optional.of(file + ": readable by " + who + ", but it holds client secrets"
                + " (chmod go-rwx " + file + ")");
    }
}
