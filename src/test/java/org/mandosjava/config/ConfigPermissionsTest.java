package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPermissionsTest {
    @TempDir
    Path dir;

    @Test
    void privateFileIsFine() throws Exception {
        assertThat(ConfigPermissions.exposure(file("rw-------"))).isEmpty();
    }

    @Test
    void groupReadableWarns() throws Exception {
        Path f = file("rw-r-----");
        assertThat(ConfigPermissions.exposure(f)).hasValueSatisfying(w ->
                assertThat(w).startsWith(f + ": readable by its group,").contains("chmod go-rwx"));
    }

    @Test
    void worldReadableWarns() throws Exception {
        assertThat(ConfigPermissions.exposure(file("rw-r--r--")))
                .hasValueSatisfying(w -> assertThat(w).contains("its group and all users"));
        assertThat(ConfigPermissions.exposure(file("rw----r--")))
                .hasValueSatisfying(w -> assertThat(w).contains("readable by all users"));
    }

    private Path file(String perms) throws Exception {
        Path f = Files.createTempFile(dir, "clients", ".conf");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }
}
