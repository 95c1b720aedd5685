package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ConfigException;

/** clients.conf and secfiles read through the given reader, never directly. */
class ClientsConfReaderTest {
    @TempDir Path tmp;

    @Test
    void theFileAndItsSecfilesAreReadThroughTheReader() throws Exception {
        Path file = tmp.resolve("clients.conf");
        Path secfile = tmp.resolve("alpha.secret");
        List<Path> read = new ArrayList<>();
        // Neither file exists on disk: only the reader knows them.
        List<ClientConfig> clients = ClientsConfReader.read(file, f -> {
            read.add(f);
            if (f.equals(file)) {
                return ("[alpha]\nkey_id = " + "a".repeat(64) + "\nsecfile = " + secfile + "\nchecker = true\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (f.equals(secfile)) return "secret".getBytes(StandardCharsets.UTF_8);
            throw new java.nio.file.NoSuchFileException(f.toString());
        });
        assertThat(read).containsExactly(file, secfile);
        assertThat(clients).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("alpha");
            assertThat(new String(c.secret(), StandardCharsets.UTF_8)).isEqualTo("secret");
        });
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void aFileTheReaderCannotReadIsAConfigError() {
        Path file = tmp.resolve("clients.conf");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ClientsConfReader.read(file, f -> { throw new AccessDeniedException(f.toString()); }));
        assertThat(e).hasMessageContaining(file.toString()).hasMessageContaining("Permission denied");
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ClientsConfReader.decode(Path.of("c.conf"), new byte[] {'[', 'a', ']', '\n', 'x', '=', (byte) 0xff}));
        assertThat(e).hasMessageContaining("c.conf:2").hasMessageContaining("not valid UTF-8");
    }
}
