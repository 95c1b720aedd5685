package org.mandosjava.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.Origin;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.ServerEventListener;

/**
 * What the server counts from the registry's events: releases, refusals by reason, handshake and
 * connect-to-secret latency, checker runs by outcome and duration. Gauges that describe the
 * present (clients by state, per-client series, open connections, audit records) are read at
 * scrape time by {@link ClientGauges} and the callbacks {@link MetricsServer} registers.
 */
public final class ServerMetrics implements ServerEventListener {
    /** Latency buckets, in seconds: a warm unlock takes milliseconds, an approval wait minutes. */
    private static final double[] LATENCY = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10, 30, 60, 300};
    private static final double[] CHECKER = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    private final Counter released;
    private final Counter refused;
    private final Histogram handshake;
    private final Histogram connectToSecret;
    private final Counter disabled;
    private final Counter checkerRuns;
    private final Histogram checkerDuration;
    private final Counter stateSaves;
    private final io.prometheus.metrics.core.metrics.Gauge lastDurableSave;
    private final LongSupplier nanoTime;
    private final Map<String, Long> checkerStarted = new ConcurrentHashMap<>();

    public ServerMetrics(PrometheusRegistry registry, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        released = Counter.builder().name("mandos_secrets_released_total")
                .help("Secrets sent to clients").register(registry);
        refused = Counter.builder().name("mandos_secret_refusals_total")
                .help("Requests that got no secret, by reason").labelNames("reason").register(registry);
        handshake = Histogram.builder().name("mandos_handshake_seconds").unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(LATENCY)
                .help("From accepting a connection to the end of its TLS handshake").register(registry);
        connectToSecret = Histogram.builder().name("mandos_connect_to_secret_seconds").unit(Unit.SECONDS)
                .classicOnly().classicUpperBounds(LATENCY)
                .help("From accepting a connection to its secret being released (approval waits included)")
                .register(registry);
        disabled = Counter.builder().name("mandos_clients_disabled_total")
                .help("Clients disabled, by reason (checker_timeout, operator, key_expired, other)")
                .labelNames("reason").register(registry);
        checkerRuns = Counter.builder().name("mandos_checker_runs_total")
                .help("Checker runs that ended, by outcome (success, failure, killed)").labelNames("outcome")
                .register(registry);
        stateSaves = Counter.builder().name("mandos_state_saves_total")
                .help("State file writes, by outcome (saved, failed)").labelNames("outcome")
                .register(registry);
        lastDurableSave = io.prometheus.metrics.core.metrics.Gauge.builder()
                .name("mandos_state_last_durable_save_timestamp_seconds")
                .help("When the state file was last written and synced (Unix time)").register(registry);
        checkerDuration = Histogram.builder().name("mandos_checker_duration_seconds").unit(Unit.SECONDS)
                .classicOnly().classicUpperBounds(CHECKER).help("How long checker runs took").register(registry);
    }

    /** Refusal reasons as label values: a fixed, small set. */
    static String reasonLabel(String reason) {
        return switch (reason) {
            case "Disabled" -> "disabled";
            case "Denied" -> "denied";
            case "Approval timed out" -> "approval_timeout";
            case ClientRegistry.NOT_RECORDED -> "not_recorded";
            case "key expired" -> "key_expired";
            default -> "other";
        };
    }

    /** Why a client was disabled, as a label value. */
    static String disableLabel(String reason) {
        if (reason == null) return "other";
        if (reason.contains("request")) return "operator";
        if (reason.contains("expire")) return "key_expired";
        if (reason.contains("timeout")) return "checker_timeout";
        return "other";
    }

    @Override
    public void onEvent(ServerEvent event) {
        Origin o = Origin.current();
        switch (event) {
            case ServerEvent.SecretReleasing e -> {
                handshakeDone(o);
                if (o.accepted() != 0) connectToSecret.observe(seconds(nanoTime.getAsLong() - o.accepted()));
            }
            case ServerEvent.SecretSent e -> released.inc();
            case ServerEvent.Rejected e -> {
                if (!ClientRegistry.NOT_RECORDED.equals(e.reason())) handshakeDone(o);
                refused.labelValues(reasonLabel(e.reason())).inc();
            }
            case ServerEvent.PeerLeft e -> refused.labelValues("peer_left").inc();
            case ServerEvent.ClientNotFound e -> {
                handshakeDone(o);
                refused.labelValues("unknown_key").inc();
            }
            case ServerEvent.CheckerStarted e -> checkerStarted.put(e.clientName(), nanoTime.getAsLong());
            case ServerEvent.CheckerCompleted e -> {
                checkerRuns.labelValues(e.exitCode() == 0 ? "success" : e.exitCode() == -1 ? "killed" : "failure")
                        .inc();
                Long started = checkerStarted.remove(e.clientName());
                if (started != null) checkerDuration.observe(seconds(nanoTime.getAsLong() - started));
            }
            case ServerEvent.ClientRemoved e -> checkerStarted.remove(e.clientName());
            case ServerEvent.EnabledChanged e -> {
                if (!e.enabled()) disabled.labelValues(disableLabel(e.reason())).inc();
            }
            default -> { }
        }
    }

    /** A state write succeeded ({@code ok}) or failed, at {@code epochSeconds}. */
    public void stateSave(boolean ok, double epochSeconds) {
        stateSaves.labelValues(ok ? "saved" : "failed").inc();
        if (ok) lastDurableSave.set(epochSeconds);
    }

    /** Each completed handshake reaches exactly one decision event: observed there. */
    private void handshakeDone(Origin o) {
        if (o.handshake() > 0) handshake.observe(seconds(o.handshake()));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Counts from elsewhere (the audit trail), read at scrape time. */
    public static void auditRecords(PrometheusRegistry registry, LongSupplier written, LongSupplier failed) {
        CounterWithCallback.builder().name("mandos_audit_records_total")
                .help("Audit records written to every sink, or that some sink could not take").labelNames("outcome")
                .callback(cb -> {
                    cb.call(written.getAsLong(), "written");
                    cb.call(failed.getAsLong(), "failed");
                }).register(registry);
    }

    /** Connection admission counts, read at scrape time from the listener. */
    public static void admission(PrometheusRegistry registry, LongSupplier refusedAtAddress, LongSupplier refusedAtCap,
            LongSupplier evicted) {
        CounterWithCallback.builder().name("mandos_connections_rejected_total")
                .help("Connections closed at admission: address_limit (max_unauthenticated_per_address) or "
                        + "connection_limit (all slots held by authenticated connections)").labelNames("reason")
                .callback(cb -> {
                    cb.call(refusedAtAddress.getAsLong(), "address_limit");
                    cb.call(refusedAtCap.getAsLong(), "connection_limit");
                }).register(registry);
        CounterWithCallback.builder().name("mandos_connections_evicted_total")
                .help("Unauthenticated connections closed to make room at the connection limit")
                .callback(cb -> cb.call(evicted.getAsLong())).register(registry);
    }

    /** A gauge read at scrape time. */
    public static void gauge(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }
}
