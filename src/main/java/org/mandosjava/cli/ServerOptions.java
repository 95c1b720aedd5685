package org.mandosjava.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.mandosjava.config.OperationsSettings;
import org.mandosjava.config.ServerSettings;

/**
 * The command line of {@code mandos} 1.8.16 (spec §1). Values stay null unless given, because only
 * options actually given override mandos.conf; so, as in the original, a flag can only move a setting
 * one way ({@code --no-dbus} can turn D-Bus off, nothing on the command line turns it on).
 * {@link ServerCommandLine} reads it from {@link #OPTIONS}.
 */
final class ServerOptions {
    static final String DESCRIPTION = "Gives encrypted passwords to authenticated Mandos clients.";

    boolean help;
    boolean version;
    String interfaceName;
    String address;
    Integer port;
    boolean check;
    Boolean debug;
    String debugLevel;
    String priority;
    String serviceName;
    Path configDir;
    Boolean noDbus;
    Boolean noIpv6;
    Boolean noRestore;
    Integer socket;
    Path stateDir;
    Boolean foreground;
    Integer maxUnauthenticatedPerAddress;
    Boolean noZeroconf;
    String zeroconfMode;
    boolean demo;
    Path auditLog;
    String metricsAddress;
    Boolean noMetricsPerClient;
    boolean clusterImport;
    String clusterForget;
    boolean clusterServeCache;
    /** Internal: set by the detaching parent for its child, which then logs to syslog. */
    boolean detachedChild;

    /**
     * One option: its names, the label of its value (null for a flag), its help (null: not shown) and
     * what it sets. A flag's setter gets null.
     */
    record Spec(List<String> names, String label, String help, BiConsumer<ServerOptions, String> set) {
        boolean isFlag() {
            return label == null;
        }
    }

    private static Spec flag(String names, String help, BiConsumer<ServerOptions, String> set) {
        return new Spec(List.of(names.split(" ")), null, help, set);
    }

    private static Spec value(String names, String label, String help, BiConsumer<ServerOptions, String> set) {
        return new Spec(List.of(names.split(" ")), label, help, set);
    }

    /** In the order the help lists them. */
    static final List<Spec> OPTIONS = List.of(
            flag("-h --help", "show this help message and exit", (o, v) -> o.help = true),
            flag("-v --version", "show version number and exit", (o, v) -> o.version = true),
            value("-i --interface", "IF", "Bind to interface IF; announce on it only", (o, v) -> o.interfaceName = v),
            value("-a --address", "ADDRESS", "Address to listen for requests on", (o, v) -> o.address = v),
            value("-p --port", "PORT", "Port number to receive requests on",
                    (o, v) -> o.port = ServerCommandLine.integer("--port", v)),
            flag("--check", "Run self-test", (o, v) -> o.check = true),
            flag("--debug", "Debug mode; log at DEBUG level (unlike the original, this does not imply --foreground)",
                    (o, v) -> o.debug = true),
            value("--debuglevel", "LEVEL", "Debug level for stdout output (CRITICAL, ERROR, WARNING, INFO, DEBUG)",
                    (o, v) -> o.debugLevel = v),
            value("--priority", "PRIORITY", "GnuTLS priority string (default: "
                    + "SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA)",
                    (o, v) -> o.priority = v),
            value("--servicename", "NAME", "Zeroconf service name", (o, v) -> o.serviceName = v),
            value("--configdir", "DIR", "Directory with configuration files (default /etc/mandos)",
                    (o, v) -> o.configDir = Path.of(v)),
            flag("--no-dbus", "Do not provide D-Bus system bus interface", (o, v) -> o.noDbus = true),
            flag("--no-ipv6", "Do not use IPv6", (o, v) -> o.noIpv6 = true),
            flag("--no-restore", "Do not restore stored state", (o, v) -> o.noRestore = true),
            value("--socket", "FD", "Specify a file descriptor to a network socket to use instead of creating one",
                    (o, v) -> o.socket = ServerCommandLine.integer("--socket", v)),
            value("--statedir", "DIR", "Directory to save/restore state in (default /var/lib/mandos)",
                    (o, v) -> o.stateDir = Path.of(v)),
            flag("--foreground", "Run in foreground, logging to standard error", (o, v) -> o.foreground = true),
            value("--max-unauthenticated-per-address", "N", "Connections from one address before its key is known; "
                    + "beyond it, its new ones are closed (default "
                    + org.mandosjava.server.ConnectionLimits.DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS
                    + "; not in the original)",
                    (o, v) -> o.maxUnauthenticatedPerAddress = ServerCommandLine.integer(
                            "--max-unauthenticated-per-address", v)),
            flag("--no-zeroconf", "Do not use Zeroconf", (o, v) -> o.noZeroconf = true),
            value("--zeroconf-mode", "MODE", "How to announce: auto (avahi-daemon if it is on the D-Bus system bus, "
                    + "else an embedded mDNS responder), avahi, or embedded (default: auto; not in the original)",
                    (o, v) -> o.zeroconfMode = v),
            flag("--demo", "Run a demonstration server on [::1]:" + Demo.PORT + " in the foreground, with a demo "
                    + "client made on first use in .demo/, and print how to fetch its password",
                    (o, v) -> o.demo = true),
            value("--audit-log", "PATH", "Also write the audit trail to PATH, one hash-chained JSON record per line "
                    + "(not in the original)", (o, v) -> o.auditLog = Path.of(v)),
            value("--metrics-address", "HOST:PORT", "Serve Prometheus metrics at http://HOST:PORT/metrics, e.g. "
                    + "127.0.0.1:9101 (not in the original)", (o, v) -> o.metricsAddress = v),
            flag("--no-metrics-per-client", "Leave the per-client series out of the metrics",
                    (o, v) -> o.noMetricsPerClient = true),
            flag("--cluster-import", "Load this server's state (state file and clients.conf) into etcd "
                    + "(etcd_endpoints in mandos.conf) for the clients etcd does not have yet, then exit",
                    (o, v) -> o.clusterImport = true),
            value("--cluster-forget", "ID", "Stop waiting for cluster member ID (a server that will not come back), "
                    + "then exit", (o, v) -> o.clusterForget = v),
            flag("--cluster-serve-cache", "In a cluster, serve the enabled clients of the state file even before "
                    + "etcd has been reached once (for a cold start of everything together)",
                    (o, v) -> o.clusterServeCache = true),
            flag("--detached-child", null, (o, v) -> o.detachedChild = true));

    /** Applies the operations options that were given on top of {@code base} (mandos.conf). */
    OperationsSettings applyTo(OperationsSettings base) {
        OperationsSettings o = base;
        if (auditLog != null) o = o.withAuditLog(auditLog);
        if (metricsAddress != null) o = o.withMetricsAddress(OperationsSettings.hostPort(metricsAddress));
        if (noMetricsPerClient != null) o = o.withMetricsPerClient(!noMetricsPerClient);
        return o;
    }

    /** Applies the options that were given on top of {@code base} (defaults and mandos.conf). */
    ServerSettings applyTo(ServerSettings base) {
        ServerSettings.Builder b = base.toBuilder();
        if (interfaceName != null) b.interfaceName = interfaceName;
        if (address != null) b.address = address;
        if (port != null) b.port = port;
        if (debug != null) b.debug = debug;
        if (debugLevel != null) b.debugLevel = debugLevel;
        if (priority != null) b.priority = priority;
        if (serviceName != null) b.serviceName = serviceName;
        if (noDbus != null) b.useDbus = !noDbus;
        if (noIpv6 != null) b.useIpv6 = !noIpv6;
        if (noRestore != null) b.restore = !noRestore;
        if (socket != null) b.socket = socket;
        if (stateDir != null) b.stateDir = stateDir;
        if (foreground != null) b.foreground = foreground;
        if (noZeroconf != null) b.zeroconf = !noZeroconf;
        if (configDir != null) b.configDir = configDir;
        if (maxUnauthenticatedPerAddress != null) b.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
        return b.build();
    }
}
