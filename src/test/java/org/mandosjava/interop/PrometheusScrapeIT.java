package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.ServerProcess;

/**
 * A stock Prometheus (Debian's) on loopback scrapes the packaged server's /metrics with the shipped
 * alert rules loaded; after the real mandos-client unlocks once, Prometheus's query API says
 * {@code mandos_secrets_released_total} is 1.
 */
class PrometheusScrapeIT {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir Path tmp;

    @Test
    void prometheusReadsTheReleaseBack() throws Exception {
        Peers.require(PROMETHEUS, "prometheus");
        Keys keys = Keys.generate(Keys.Keygen.REAL, tmp.resolve("keys"), "test");
        Path configDir = Files.createDirectories(tmp.resolve("conf"));
        Path clientsConf = configDir.resolve("clients.conf");
        Files.writeString(clientsConf, keys.clientsConfSection(Keys.Keygen.REAL, "alpha",
                "scraped secret".getBytes(StandardCharsets.UTF_8)));
        Files.setPosixFilePermissions(clientsConf, PosixFilePermissions.fromString("rw-------"));
        int port = ServerProcess.freePort();
        int metricsPort = ServerProcess.freePort();
        int prometheusPort = ServerProcess.freePort();
        Path promConfig = tmp.resolve("prometheus.yml");
        Files.writeString(promConfig, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: mandos
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(Path.of("packaging/prometheus/mandos-java.rules.yml").toAbsolutePath(), metricsPort));

        try (ServerProcess server = ServerProcess.start(ServerProcess.args(configDir,
                        Files.createDirectories(tmp.resolve("state")), "::", port,
                        "--metrics-address", "127.0.0.1:" + metricsPort));
                ManagedProcess prometheus = ManagedProcess.start("prometheus", List.of(PROMETHEUS.toString(),
                        "--config.file=" + promConfig, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort), tmp, Map.of())) {
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";
            assertThat(Poll.until(() -> query(api, "up{job=\"mandos\"}").contains("\"1\"]"), WAIT))
                    .as("Prometheus scrapes the server; its log:\n" + prometheus.stderrText()).isTrue();

            CommandResult unlock = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(30));
            assertThat(unlock.stdoutText()).isEqualTo("scraped secret");

            AtomicReference<String> last = new AtomicReference<>();
            Pattern one = Pattern.compile("\"value\":\\[[0-9.]+,\"1\"\\]");
            assertThat(Poll.until(() -> one.matcher(set(last, query(api, "mandos_secrets_released_total"))).find(),
                    WAIT)).as("mandos_secrets_released_total through the query API: " + last.get()).isTrue();
            assertThat(get(api + "rules")).contains("MandosAuditWriteFailing", "MandosClientDisabledByTimeout");
            assertThat(server.stop()).isZero();
        }
    }

    static String set(AtomicReference<String> ref, String value) {
        ref.set(value);
        return value;
    }

    static String query(String api, String promql) {
        try {
            return get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return "";
        }
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
