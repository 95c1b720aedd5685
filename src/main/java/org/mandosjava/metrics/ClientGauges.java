package org.mandosjava.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.mandosjava.server.ClientStatus;

/**
 * Gauges about the clients, read at scrape time from one snapshot of every client's status (taken
 * at most once a second, however many gauges ask): clients by state, and, unless left out, one
 * series per client for enabled, seconds since the last successful check, seconds until expiry,
 * checker interval and approval pending. At 100,000 clients the per-client series are 500,000
 * samples (some 40 MB of text per scrape, and as many series in Prometheus, a few hundred MB of
 * its memory); leave them out there
 * ({@code metrics_per_client = false}) and alert on the totals.
 */
public final class ClientGauges {
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final Supplier<List<ClientStatus>> statuses;
    private final Clock clock;
    private List<ClientStatus> snapshot = List.of();
    private long takenAt;
    private boolean taken;

    public ClientGauges(Supplier<List<ClientStatus>> statuses, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
    }

    private synchronized List<ClientStatus> current() {
        long now = System.nanoTime();
        if (!taken || now - takenAt >= FRESH.toNanos()) {
            snapshot = statuses.get();
            takenAt = now;
            taken = true;
        }
        return snapshot;
    }

    public void register(PrometheusRegistry registry, boolean perClient) {
        GaugeWithCallback.builder().name("mandos_clients").help("Clients by state (enabled, disabled, approval_pending)")
                .labelNames("state").callback(cb -> {
                    List<ClientStatus> all = current();
                    long enabled = all.stream().filter(ClientStatus::enabled).count();
                    cb.call(enabled, "enabled");
                    cb.call(all.size() - enabled, "disabled");
                    cb.call(all.stream().filter(ClientStatus::approvalPending).count(), "approval_pending");
                }).register(registry);
        if (!perClient) return;
        GaugeWithCallback.builder().name("mandos_client_enabled").help("1 if the client is enabled")
                .labelNames("client").callback(cb -> {
                    for (ClientStatus c : current()) cb.call(c.enabled() ? 1 : 0, c.name());
                }).register(registry);
        GaugeWithCallback.builder().name("mandos_client_seconds_since_last_checked_ok")
                .help("Seconds since the client's checker last succeeded (absent if never)").labelNames("client")
                .callback(cb -> {
                    Instant now = clock.instant();
                    for (ClientStatus c : current()) {
                        if (c.lastCheckedOk() != null) cb.call(seconds(c.lastCheckedOk(), now), c.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("mandos_client_seconds_until_expiry")
                .help("Seconds until the client is disabled for want of a successful check (absent if disabled)")
                .labelNames("client").callback(cb -> {
                    Instant now = clock.instant();
                    for (ClientStatus c : current()) {
                        if (c.enabled() && c.expires() != null) cb.call(seconds(now, c.expires()), c.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("mandos_client_checker_interval_seconds")
                .help("The client's checker interval").labelNames("client").callback(cb -> {
                    for (ClientStatus c : current()) cb.call(c.interval().toMillis() / 1000.0, c.name());
                }).register(registry);
        GaugeWithCallback.builder().name("mandos_client_approval_pending")
                .help("1 while a request of the client waits for approval").labelNames("client").callback(cb -> {
                    for (ClientStatus c : current()) cb.call(c.approvalPending() ? 1 : 0, c.name());
                }).register(registry);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
