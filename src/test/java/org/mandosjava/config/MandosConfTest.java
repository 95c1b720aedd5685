package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MandosConfTest {
    @TempDir
    Path dir;

    @Test
    void missingFileLeavesBaseUnchanged() throws Exception {
        ServerSettings base = ServerSettings.defaults().toBuilder().build();
        assertThat(MandosConf.load(dir.resolve("mandos.conf"), base)).isEqualTo(base);
    }

    @Test
    void defaultSectionIsAppliedRaw() throws Exception {
        Path file = write("""
                # shipped style
                [DEFAULT]
                interface = eth0
                address = ::1
                port = 1234
                debug = False
                priority = SECURE128:%PROFILE_ULTRA:%%X
                servicename = Test
                use_dbus = no
                use_ipv6 = 0
                debuglevel = info
                restore = off
                socket = 7
                statedir = /tmp/state
                foreground = yes
                zeroconf = false
                configdir = /elsewhere
                unknown = whatever

                [other]
                port = 99
                """);
        ServerSettings s = MandosConf.load(file, ServerSettings.defaults());
        assertThat(s).isEqualTo(new ServerSettings("eth0", "::1", 1234, false,
                "SECURE128:%PROFILE_ULTRA:%%X", "Test", false, false, "info", false, 7,
                Path.of("/tmp/state"), true, false, ServerSettings.DEFAULT_CONFIG_DIR, null,
                ServerSettings.defaults().cluster()));
    }

    @Test
    void theUnauthenticatedLimitPerAddressIsReadAndChecked() throws Exception {
        Path file = dir.resolve("limit.conf");
        Files.writeString(file, "[DEFAULT]\nmax_unauthenticated_per_address = 32\n");
        assertThat(MandosConf.load(file, ServerSettings.defaults()).maxUnauthenticatedPerAddress()).isEqualTo(32);
        Files.writeString(file, "[DEFAULT]\nmax_unauthenticated_per_address = 0\n");
        assertThatThrownBy(() -> MandosConf.load(file, ServerSettings.defaults()))
                .hasMessageContaining("limit.conf:2")
                .hasMessageContaining("max_unauthenticated_per_address");
    }

    @Test
    void onlyKeysInTheFileChangeTheBase() throws Exception {
        ServerSettings.Builder b = ServerSettings.defaults().toBuilder();
        b.port = 5555;
        ServerSettings withPort = b.build();
        b.serviceName = "X";
        ServerSettings expected = b.build();
        assertThat(MandosConf.load(write("[DEFAULT]\nservicename = X\n"), withPort)).isEqualTo(expected);
        assertThat(MandosConf.load(write("[DEFAULT]\nport =\n"), withPort).port()).isNull();
    }

    @Test
    void emptyFileAndCommentsOnly() throws Exception {
        assertThat(MandosConf.load(write(""), ServerSettings.defaults())).isEqualTo(ServerSettings.defaults());
        assertThat(MandosConf.load(write("# [DEFAULT]\n"), ServerSettings.defaults()))
                .isEqualTo(ServerSettings.defaults());
    }

    @Test
    void booleansAndIntegersAreInterpolatedLikeGetboolean() throws Exception {
        ServerSettings s = MandosConf.load(write("[DEFAULT]\nyes = true\ndebug = %(yes)s\nport = 80%(zero)s\nzero = 0\n"),
                ServerSettings.defaults());
        assertThat(s.debug()).isTrue();
        assertThat(s.port()).isEqualTo(800);
    }

    @Test
    void withoutDefaultHeaderIsAnError() throws Exception {
        Path file = write("\n# settings\nport = 1234\n");
        assertThat(error(file).getMessage()).startsWith(file + ":3: no section header before this line");
    }

    @Test
    void badValuesNameFileLineAndKey() throws Exception {
        Path file = write("[DEFAULT]\nport = 12ab\n");
        assertThat(error(file).getMessage()).isEqualTo(file + ":2: port: not an integer: \"12ab\"");
        Path file2 = write("[DEFAULT]\n\nuse_dbus = sometimes\n");
        assertThat(error(file2).getMessage()).startsWith(file2 + ":3: use_dbus: not a boolean: \"sometimes\"");
        Path file3 = write("[DEFAULT]\nport = 70000\n");
        assertThat(error(file3).getMessage()).isEqualTo(file3 + ":2: port: out of range: 70000 (must be 0..65535)");
    }

    private Path write(String text) throws Exception {
        Path file = Files.createTempFile(dir, "mandos", ".conf");
        Files.writeString(file, text);
        return file;
    }

    private static ConfigException error(Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> MandosConf.load(file, ServerSettings.defaults()));
        assertThat(e).isNotNull();
        return e;
    }
}
