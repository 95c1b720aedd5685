package org.mandosjava.config;
import java.nio.file.Path;
import java.util.Optional;
/** TEMPORARY STUB until the config branch lands. */
public final class ConfigPermissions {
    private ConfigPermissions() {}
    public static Optional<String> exposure(Path file) { return Optional.empty(); }
}
