package org.mandosjava.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.Origin;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.SystemScheduler;

/** The metrics endpoint in Prometheus's text format, fed by a real registry's events. */
class MetricsServerTest {
    static final String KEY = "cd".repeat(32);
    final SystemScheduler scheduler = new SystemScheduler();
    MetricsServer metrics;

    @AfterEach
    void stop() {
        if (metrics != null) metrics.close();
        scheduler.close();
    }

    ClientRegistry registry() {
        ClientConfig on = new ClientConfig("host1", KEY, "", "s3cret".getBytes(StandardCharsets.UTF_8), "", "true",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, true, Map.of("name", "host1"), Path.of("test"), 1);
        ClientConfig off = new ClientConfig("host2", "ef".repeat(32), "", "x".getBytes(StandardCharsets.UTF_8), "",
                "true", Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, false, Map.of("name", "host2"), Path.of("test"), 2);
        return new ClientRegistry(List.of(on, off), scheduler, new CheckerRunner());
    }

    String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void releasesRefusalsClientsAndProcessMetricsAreServed() throws Exception {
        ClientRegistry r = registry();
        metrics = new MetricsServer();
        metrics.attach(r, true);
        metrics.auditRecords(() -> 3, () -> 1);
        int port = metrics.start(new InetSocketAddress("127.0.0.1", 0));

        try (Origin.Scope ignored = Origin.enter(Origin.connection(1, "::1").withKeyId(KEY))) {
            r.requestSecret(KEY, "::1", () -> true);
            r.secretSent("host1", "::1");
            r.requestSecret("ef".repeat(32), "::1", () -> true);
            r.requestSecret("00".repeat(32), "::1", () -> true);
        }
        r.disable("host1");
        metrics.events().onEvent(new ServerEvent.CheckerStarted("host2", "true"));
        metrics.events().onEvent(new ServerEvent.CheckerCompleted("host2", 1, 256, "false"));

        String text = scrape(port);
        assertThat(text).contains("mandos_secrets_released_total 1.0",
                "mandos_secret_refusals_total{reason=\"disabled\"} 1.0",
                "mandos_secret_refusals_total{reason=\"unknown_key\"} 1.0",
                "mandos_clients_disabled_total{reason=\"operator\"} 1.0",
                "mandos_clients{state=\"disabled\"} 2.0", "mandos_clients{state=\"enabled\"} 0.0",
                "mandos_client_enabled{client=\"host1\"} 0.0",
                "mandos_client_checker_interval_seconds{client=\"host2\"} 120.0",
                "mandos_checker_runs_total{outcome=\"failure\"} 1.0", "mandos_checker_duration_seconds_count 1",
                "mandos_audit_records_total{outcome=\"written\"} 3.0",
                "mandos_audit_records_total{outcome=\"failed\"} 1.0",
                "mandos_handshake_seconds_count 3", "mandos_connect_to_secret_seconds_count 1",
                "process_cpu_seconds_total", "jvm_memory_used_bytes");
        assertThat(text).doesNotContain("s3cret");
    }

    @Test
    void perClientSeriesCanBeLeftOut() throws Exception {
        metrics = new MetricsServer();
        metrics.attach(registry(), false);
        String text = scrape(metrics.start(new InetSocketAddress("127.0.0.1", 0)));
        assertThat(text).contains("mandos_clients{state=\"enabled\"} 1.0").doesNotContain("client=\"");
    }
}
