package org.mandosjava.cli;

import java.nio.file.Path;
import org.mandosjava.config.OperationsSettings;
import org.mandosjava.config.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code mandos} 1.8.16 (spec §1). Values stay null unless given, because only
 * options actually given override mandos.conf; so, as in the original, a flag can only move a setting
 * one way ({@code --no-dbus} can turn D-Bus off, nothing on the command line turns it on).
 */
@Command(name = "mandos", sortOptions = false, usageHelpAutoWidth = true,
        description = "Gives encrypted passwords to authenticated Mandos clients.")
final class ServerOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help message and exit")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "show version number and exit")
    boolean version;

    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Bind to interface IF; announce on it only")
    String interfaceName;

    @Option(names = {"-a", "--address"}, paramLabel = "ADDRESS", description = "Address to listen for requests on")
    String address;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port number to receive requests on")
    Integer port;

    @Option(names = "--check", description = "Run self-test")
    boolean check;

    @Option(names = "--debug", description = "Debug mode; log at DEBUG level (unlike the original, "
            + "this does not imply --foreground)")
    Boolean debug;

    @Option(names = "--debuglevel", paramLabel = "LEVEL",
            description = "Debug level for stdout output (CRITICAL, ERROR, WARNING, INFO, DEBUG)")
    String debugLevel;

    @Option(names = "--priority", paramLabel = "PRIORITY", description = "GnuTLS priority string (default: "
            // picocli formats descriptions: the default's % is written %%
            + "SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%%PROFILE_ULTRA)")
    String priority;

    @Option(names = "--servicename", paramLabel = "NAME", description = "Zeroconf service name")
    String serviceName;

    @Option(names = "--configdir", paramLabel = "DIR", description = "Directory with configuration files "
            + "(default /etc/mandos)")
    Path configDir;

    @Option(names = "--no-dbus", description = "Do not provide D-Bus system bus interface")
    Boolean noDbus;

    @Option(names = "--no-ipv6", description = "Do not use IPv6")
    Boolean noIpv6;

    @Option(names = "--no-restore", description = "Do not restore stored state")
    Boolean noRestore;

    @Option(names = "--socket", paramLabel = "FD", description = "Specify a file descriptor to a network socket "
            + "to use instead of creating one")
    Integer socket;

    @Option(names = "--statedir", paramLabel = "DIR", description = "Directory to save/restore state in "
            + "(default /var/lib/mandos)")
    Path stateDir;

    @Option(names = "--foreground", description = "Run in foreground, logging to standard error")
    Boolean foreground;

    @Option(names = "--max-unauthenticated-per-address", paramLabel = "N", description = "Connections from one "
            + "address before its key is known; beyond it, its new ones are closed (default "
            + org.mandosjava.server.ConnectionLimits.DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS + "; not in the original)")
    Integer maxUnauthenticatedPerAddress;

    @Option(names = "--no-zeroconf", description = "Do not use Zeroconf")
    Boolean noZeroconf;

    @Option(names = "--zeroconf-mode", paramLabel = "MODE", description = "How to announce: auto (avahi-daemon "
            + "if it is on the D-Bus system bus, else an embedded mDNS responder), avahi, or embedded "
            + "(default: auto; not in the original)")
    String zeroconfMode;

    @Option(names = "--demo", description = "Run a demonstration server on [::1]:" + Demo.PORT
            + " in the foreground, with a demo client made on first use in .demo/, and print how to"
            + " fetch its password")
    boolean demo;

    @Option(names = "--audit-log", paramLabel = "PATH", description = "Also write the audit trail to PATH, "
            + "one hash-chained JSON record per line (not in the original)")
    Path auditLog;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT", description = "Serve Prometheus metrics at "
            + "http://HOST:PORT/metrics, e.g. 127.0.0.1:9101 (not in the original)")
    String metricsAddress;

    @Option(names = "--no-metrics-per-client", description = "Leave the per-client series out of the metrics")
    Boolean noMetricsPerClient;

    @Option(names = "--cluster-import", description = "Load this server's state (state file and clients.conf) into"
            + " etcd (etcd_endpoints in mandos.conf) for the clients etcd does not have yet, then exit")
    boolean clusterImport;

    @Option(names = "--cluster-forget", paramLabel = "ID", description = "Stop waiting for cluster member ID (a server"
            + " that will not come back), then exit")
    String clusterForget;

    @Option(names = "--cluster-serve-cache", description = "In a cluster, serve the enabled clients of the state file"
            + " even before etcd has been reached once (for a cold start of everything together)")
    boolean clusterServeCache;

    /** Internal: set by the detaching parent for its child, which then logs to syslog. */
    @Option(names = "--detached-child", hidden = true)
    boolean detachedChild;

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
