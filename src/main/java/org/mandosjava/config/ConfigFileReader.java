package org.mandosjava.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a configuration file's bytes are read: directly, or (for a reload after privileges are
 * dropped) by a reader that may read root's files.
 */
@FunctionalInterface
public interface ConfigFileReader {
    ConfigFileReader DIRECT = Files::readAllBytes;

    byte[] readAllBytes(Path file) throws IOException;
}
