package org.mandosjava.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.mandosjava.server.ClientRegistry;

/**
 * Serves the metrics at {@code http://ADDRESS/metrics} in Prometheus's text format, with the
 * official client's HTTP server (the JDK's) on a small pool of its own. Opt-in: nothing listens
 * unless {@code metrics_address} is set. The JVM and process collectors come with it (most of them).
 */
public final class MetricsServer implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ServerMetrics events;
    private final ExecutorService pool;
    private HTTPServer http;

    public MetricsServer() {
        events = new ServerMetrics(registry, System::nanoTime);
        registerJvmCollectors(registry);
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mandos-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The client library's JVM and process collectors, less three that cost the unlock path: the
     * threads collector stops every thread at each scrape (thread states, deadlock detection), the
     * allocation collector handles a notification after every collection (tens a second in a storm)
     * and native memory needs the JVM's tracking, which is off.
     */
    private static void registerJvmCollectors(PrometheusRegistry registry) {
        ProcessMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
    }

    /** Observes the registry's events and reads its clients at scrape time. */
    public void attach(ClientRegistry clients, boolean perClient) {
        clients.addListener(events);
        new ClientGauges(clients::statuses, Clock.systemUTC()).register(registry, perClient);
    }

    public void gauge(String name, String help, LongSupplier value) {
        ServerMetrics.gauge(registry, name, help, value);
    }

    public void auditRecords(LongSupplier written, LongSupplier failed) {
        ServerMetrics.auditRecords(registry, written, failed);
    }

    public ServerMetrics events() {
        return events;
    }

    public void admission(LongSupplier refusedAtAddress, LongSupplier refusedAtCap, LongSupplier evicted) {
        ServerMetrics.admission(registry, refusedAtAddress, refusedAtCap, evicted);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Starts serving at {@code address}; returns the port (useful with port 0). */
    public int start(InetSocketAddress address) throws IOException {
        http = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort()).registry(registry)
                .executorService(pool).buildAndStart();
        return http.getPort();
    }

    @Override
    public void close() {
        if (http != null) http.close();
        pool.shutdownNow();
    }
}
