package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** audit_log, metrics_address and metrics_per_client in mandos.conf. */
class OperationsSettingsTest {
    @TempDir Path dir;

    Path conf(String text) throws Exception {
        Path file = dir.resolve("mandos.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsTheKeysAndDefaultsWithoutThem() throws Exception {
        assertThat(OperationsSettings.load(dir.resolve("none.conf"))).isEqualTo(OperationsSettings.DEFAULTS);
        assertThat(OperationsSettings.load(conf("[DEFAULT]\nport = 1796\n"))).isEqualTo(OperationsSettings.DEFAULTS);
        OperationsSettings s = OperationsSettings.load(conf(
                "[DEFAULT]\naudit_log = /var/log/mandos/audit.jsonl\nmetrics_address = [::1]:9101\n"
                        + "metrics_per_client = no\n"));
        assertThat(s.auditLog()).isEqualTo(Path.of("/var/log/mandos/audit.jsonl"));
        assertThat(s.metricsAddress()).isEqualTo(new InetSocketAddress("::1", 9101));
        assertThat(s.metricsPerClient()).isFalse();
    }

    @Test
    void badValuesNameFileLineAndKey() throws Exception {
        Path file = conf("[DEFAULT]\n\nmetrics_address = ::1:9101\n");
        assertThatThrownBy(() -> OperationsSettings.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":3: metrics_address: write an IPv6 address in brackets");
        Path port = conf("[DEFAULT]\nmetrics_address = 127.0.0.1:99999\n");
        assertThatThrownBy(() -> OperationsSettings.load(port)).hasMessageContaining(":2: metrics_address: port out of range");
        Path bool = conf("[DEFAULT]\nmetrics_per_client = maybe\n");
        assertThatThrownBy(() -> OperationsSettings.load(bool)).hasMessageContaining(":2: metrics_per_client:");
    }
}
