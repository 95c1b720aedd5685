package org.mandosjava.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.mandosjava.audit.AuditFile;
import org.mandosjava.audit.AuditSink;
import org.mandosjava.audit.AuditTrail;
import org.mandosjava.audit.JournalSink;
import org.mandosjava.audit.SyslogSink;
import org.mandosjava.config.OperationsSettings;
import org.mandosjava.log.JournalEntry;
import org.mandosjava.metrics.MetricsServer;
import org.mandosjava.health.SystemdNotifier;
import org.mandosjava.health.Watchdog;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.MandosServer;
import org.mandosjava.server.PeerAddress;
import org.mandosjava.server.Scheduler;

/**
 * The server's operations side, wired by {@link ServerMain}: the audit trail (the journal under
 * systemd, else syslog; and the audit file if configured) and health for systemd (readiness,
 * status, reload and the watchdog through sd_notify). The audit file is opened before privileges
 * are dropped, so it may live where only root can create files.
 */
final class Operations implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Operations.class.getName());
    /** Overrides where journal and syslog records go (tests point them at a private receiver). */
    static final String JOURNAL_SOCKET_ENV = "MANDOS_JOURNAL_SOCKET";
    static final String SYSLOG_SOCKET_ENV = "MANDOS_SYSLOG_SOCKET";

    private final AuditTrail audit;
    private final OperationsSettings settings;
    private MetricsServer metrics;
    private volatile MandosServer server;
    private final SystemdNotifier notifier;
    private Watchdog watchdog;
    private ClientRegistry registry;
    private String listening = "";

    private Operations(AuditTrail audit, OperationsSettings settings, SystemdNotifier notifier) {
        this.audit = audit;
        this.settings = settings;
        this.notifier = notifier;
    }

    static Operations open(OperationsSettings settings, String identifier) throws IOException {
        List<AuditSink> sinks = new ArrayList<>();
        if (JournalSink.underSystemd()) {
            sinks.add(new JournalSink(env(JOURNAL_SOCKET_ENV, JournalEntry.SOCKET), identifier));
        } else {
            String devLog = env(SYSLOG_SOCKET_ENV, SyslogSink.DEV_LOG);
            if (Files.exists(Path.of(devLog))) sinks.add(new SyslogSink(devLog, identifier));
            else LOG.warning("Audit: no syslog socket at " + devLog + "; audit records go to "
                    + (settings.auditLog() == null ? "nowhere (set audit_log)" : settings.auditLog()) + " only");
        }
        if (settings.auditLog() != null) sinks.add(auditFile(settings));
        return new Operations(new AuditTrail(sinks), settings, SystemdNotifier.fromEnvironment(System.getenv()));
    }

    /**
     * As {@link #open}, apart from the system: audit records go to the audit file only (never to the
     * journal or syslog), and systemd is told nothing. For a rehearsal of the server's start.
     */
    static Operations isolated(OperationsSettings settings) throws IOException {
        List<AuditSink> sinks = new ArrayList<>();
        if (settings.auditLog() != null) sinks.add(auditFile(settings));
        return new Operations(new AuditTrail(sinks), settings, SystemdNotifier.NONE);
    }

    private static AuditFile auditFile(OperationsSettings settings) throws IOException {
        try {
            return AuditFile.open(settings.auditLog());
        } catch (IOException e) {
            throw new IOException("cannot open the audit log " + settings.auditLog() + ": " + e.getMessage(), e);
        }
    }

    /** Starts observing the registry, and serving metrics if asked to; call before the registry starts. */
    void attach(ClientRegistry registry) throws IOException {
        registry.addListener(audit);
        if (settings.metricsAddress() == null) return;
        metrics = new MetricsServer();
        metrics.attach(registry, settings.metricsPerClient());
        metrics.auditRecords(audit::written, audit::failed);
        metrics.gauge("mandos_connections_open", "Connections being served",
                () -> server == null ? 0 : server.activeConnections());
        metrics.admission(() -> server == null ? 0 : server.connectionsRefused(true),
                () -> server == null ? 0 : server.connectionsRefused(false),
                () -> server == null ? 0 : server.connectionsEvicted());
        try {
            int port = metrics.start(settings.metricsAddress());
            LOG.info("Metrics at http://" + settings.metricsAddress().getHostString() + ":" + port + "/metrics");
        } catch (IOException e) {
            metrics.close();
            throw new IOException("cannot serve metrics at " + settings.metricsAddress() + ": " + e.getMessage(), e);
        }
    }

    /** Cluster gauges, if metrics are served: the store reachable, members present, this server's applied revision. */
    void cluster(org.mandosjava.cluster.ClusterNode cluster) {
        if (metrics == null) return;
        metrics.gauge("mandos_cluster_store_reachable", "Whether etcd answered this server's last request (1) or not (0)",
                () -> cluster.status().storeReachable() ? 1 : 0);
        metrics.gauge("mandos_cluster_store_unreachable_seconds", "How long etcd has not answered (0 while it does)",
                () -> cluster.status().unreachableFor().toSeconds());
        metrics.gauge("mandos_cluster_members_present", "Cluster members holding their presence entry, as seen here",
                () -> cluster.status().members().stream().filter(m -> m.live()).count());
        metrics.gauge("mandos_cluster_members", "Cluster members (present or not)", () -> cluster.status().members().size());
        metrics.gauge("mandos_cluster_applied_revision", "The etcd revision this server has applied every change up to",
                () -> cluster.status().applied());
    }

    AuditTrail audit() {
        return audit;
    }

    /**
     * The server listens and its clients are loaded: tells systemd (READY=1 and a status line) and
     * starts the watchdog if the unit has one.
     */
    void serving(ClientRegistry clients, MandosServer server, Scheduler timers) {
        this.registry = clients;
        this.server = server;
        var local = server.localAddress();
        String host = PeerAddress.format(local.getAddress(), false);
        listening = (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort();
        notifier.ready(status());
        notifier.watchdogTimeout().ifPresent(timeout -> {
            watchdog = new Watchdog(notifier, timeout, timers, server::acceptLoopHeartbeat, this::status);
            watchdog.start();
            LOG.info("Watchdog: telling systemd every " + timeout.toMillis() / 2 + " ms while alive");
        });
    }

    /** Runs a reload between RELOADING=1 and READY=1. */
    void reloading(Runnable reload) {
        notifier.reloading();
        try {
            reload.run();
        } finally {
            notifier.ready(status());
        }
    }

    /** A state write succeeded, or failed with {@code reason}: for the audit trail and the metrics. */
    void stateSave(boolean ok, String reason) {
        if (ok) audit.stateSaveRecovered();
        else audit.stateSaveFailing(reason);
        if (metrics != null) metrics.events().stateSave(ok, System.currentTimeMillis() / 1000.0);
    }

    /**
     * "1,234 clients, 3 disabled, listening on [::]:1796". Not String.format: the first status line
     * comes before the first unlock, and the formatter's first use costs about 10 ms.
     */
    String status() {
        if (registry == null) return "Starting";
        ClientRegistry.Counts counts = registry.counts();
        return Startup.grouped(counts.clients()) + " clients, " + Startup.grouped(counts.disabled())
                + " disabled, listening on " + listening;
    }

    @Override
    public void close() {
        notifier.stopping();
        if (watchdog != null) watchdog.close();
        if (metrics != null) metrics.close();
        audit.close();
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? otherwise : value;
    }
}
