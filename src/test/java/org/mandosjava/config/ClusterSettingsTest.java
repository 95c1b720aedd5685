package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mandosjava.cluster.etcd.EtcdClientSettings;

class ClusterSettingsTest {
    @TempDir
    Path dir;

    private ServerSettings load(String body) throws Exception {
        Path file = dir.resolve("mandos.conf");
        Files.writeString(file, "[DEFAULT]\n# comment\n" + body);
        return MandosConf.load(file, ServerSettings.defaults());
    }

    @Test
    void offByDefaultWithTheDocumentedDefaults() throws Exception {
        ClusterSettings c = load("port = 1\n").cluster();
        assertThat(c.enabled()).isFalse();
        assertThat(c.etcdPrefix()).isEqualTo("/mandos/");
        assertThat(c.etcdTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.confirmTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.strictAfter()).isNull();
        assertThat(c.serverId()).isNotBlank().isEqualTo(ClusterSettings.HostName.get());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        ClusterSettings c = load("""
                etcd_endpoints = https://10.0.0.1:2379, https://etcd2.example:2379/
                etcd_prefix = /site-a/mandos/
                etcd_ca = /etc/mandos/etcd/ca.pem
                etcd_cert = /etc/mandos/etcd/client.pem
                etcd_key = /etc/mandos/etcd/client-key.pem
                etcd_user = mandos
                etcd_password_file = /etc/mandos/etcd/password
                etcd_timeout = 3s
                cluster_confirm_timeout = PT1S
                cluster_strict_after = PT10M
                server_id = mandos-a
                """).cluster();
        assertThat(c.enabled()).isTrue();
        assertThat(c.etcdEndpoints()).containsExactly(URI.create("https://10.0.0.1:2379"),
                URI.create("https://etcd2.example:2379"));
        assertThat(c.etcdPrefix()).isEqualTo("/site-a/mandos/");
        assertThat(c.etcdCa()).isEqualTo(Path.of("/etc/mandos/etcd/ca.pem"));
        assertThat(c.etcdCert()).isEqualTo(Path.of("/etc/mandos/etcd/client.pem"));
        assertThat(c.etcdKey()).isEqualTo(Path.of("/etc/mandos/etcd/client-key.pem"));
        assertThat(c.etcdUser()).isEqualTo("mandos");
        assertThat(c.etcdPasswordFile()).isEqualTo(Path.of("/etc/mandos/etcd/password"));
        assertThat(c.etcdTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.confirmTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.strictAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.serverId()).isEqualTo("mandos-a");

        EtcdClientSettings client = EtcdClientSettings.from(c);
        assertThat(client.endpoints()).isEqualTo(c.etcdEndpoints());
        assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(client.user()).isEqualTo("mandos");
        assertThat(client.requireLeader()).isTrue();
    }

    @Test
    void removingTheEndpointsTurnsClusteringOffAndKeepsTheRest() throws Exception {
        ClusterSettings c = load("etcd_endpoints =\netcd_prefix = /x/\n").cluster();
        assertThat(c.enabled()).isFalse();
        assertThat(c.etcdPrefix()).isEqualTo("/x/");
        assertThat(load("etcd_endpoints = http://[::1]:2379\n").cluster().etcdEndpoints())
                .containsExactly(URI.create("http://[::1]:2379"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            etcd_endpoints = http://a:1,,http://b:2                   | etcd_endpoints | empty URL
            etcd_endpoints = ftp://a:1                                 | etcd_endpoints | not an http:// or https:// URL
            etcd_endpoints = http://a                                  | etcd_endpoints | needs a host and a port
            etcd_endpoints = a:2379                                    | etcd_endpoints | not an http:// or https:// URL
            etcd_endpoints = http://a:1/v3                             | etcd_endpoints | only scheme, host and port
            etcd_endpoints = http://u:p@a:1                            | etcd_endpoints | only scheme, host and port
            etcd_endpoints = http://a:1,http://a:1                     | etcd_endpoints | listed twice
            etcd_endpoints = http://a:1,https://b:1                    | etcd_endpoints | mixes http:// and https://
            etcd_endpoints = http://a b:1                              | etcd_endpoints | not a URL
            etcd_prefix = mandos/                                      | etcd_prefix    | must start and end
            etcd_prefix = /mandos                                      | etcd_prefix    | must start and end
            etcd_prefix = /a b/                                        | etcd_prefix    | printable ASCII
            etcd_ca = relative/ca.pem                                  | etcd_ca        | absolute path
            etcd_timeout = soon                                        | etcd_timeout   | not a duration
            etcd_timeout = 0s                                          | etcd_timeout   | longer than zero
            etcd_timeout = 2h                                          | etcd_timeout   | at most one hour
            cluster_confirm_timeout = -1s                              | cluster_confirm_timeout | longer than zero
            cluster_strict_after = PT                                  | cluster_strict_after | not a duration
            server_id = a/b                                            | server_id      | letters, digits
            server_id = -a                                             | server_id      | starting with
            etcd_password = hunter2                                    | etcd_password  | does not belong in mandos.conf
            etcd_cert = /c.pem                                         | etcd_cert      | go together
            etcd_key = /k.pem                                          | etcd_key       | go together
            etcd_user = mandos                                         | etcd_user      | go together
            etcd_password_file = /p                                    | etcd_password_file | go together
            """)
    void mistakesAreLocated(String line, String key, String problem) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(line + "\n"));
        assertThat(e).as(line).isNotNull();
        assertThat(e.getMessage()).startsWith(dir.resolve("mandos.conf") + ":3: " + key + ": ");
        assertThat(e.problem()).contains(problem);
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void tlsFilesNeedAnHttpsEndpoint() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load("etcd_endpoints = http://a:1\netcd_ca = /ca.pem\n"));
        assertThat(e.getMessage()).contains("mandos.conf:4: etcd_ca: TLS files are set but etcd_endpoints has no "
                + "https:// URL");
        assertThat(load("etcd_endpoints = https://a:1\netcd_ca = /ca.pem\n").cluster().etcdCa())
                .isEqualTo(Path.of("/ca.pem"));
    }

    @Test
    void anEmptyStrictAfterMeansNever() throws Exception {
        assertThat(load("cluster_strict_after =\n").cluster().strictAfter()).isNull();
        assertThat(load("cluster_strict_after = 90s\n").cluster().strictAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theDefaultServerIdIsTheKernelsHostName() throws Exception {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(ClusterSettings.HostName.get(() -> "fallback")).isEqualTo(kernel);
        assertThat(ClusterSettings.off("h").serverId()).isEqualTo("h");
    }
}
