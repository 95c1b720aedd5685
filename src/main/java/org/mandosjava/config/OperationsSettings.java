package org.mandosjava.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.mandosjava.platform.IoErrors;

/**
 * Settings for operating the server, beyond the original's: where the audit file is, where metrics
 * are served and whether they include a series per client. Read from mandos.conf's [DEFAULT]
 * ({@code audit_log}, {@code metrics_address}, {@code metrics_per_client}; the original server
 * ignores keys it does not know, so one file serves both), then overridden by options.
 *
 * @param auditLog the JSON-lines audit file, or null for none
 * @param metricsAddress where to serve {@code /metrics}, or null for nowhere
 * @param metricsPerClient whether metrics include the per-client series
 */
public record OperationsSettings(Path auditLog, InetSocketAddress metricsAddress, boolean metricsPerClient) {
    public static final OperationsSettings DEFAULTS = new OperationsSettings(null, null, true);

    /** Reads mandos.conf's operations keys; a missing file gives the defaults. */
    public static OperationsSettings load(Path mandosConf) throws ConfigException {
        IniFile ini;
        try {
            ini = IniParser.read(mandosConf, Map.of());
        } catch (NoSuchFileException e) {
            return DEFAULTS;
        } catch (IOException e) {
            throw new ConfigException(mandosConf, 0, null, "cannot read: " + IoErrors.reason(e), e);
        }
        Map<String, IniValue> d = ini.defaults().options();
        Path audit = null;
        InetSocketAddress metrics = null;
        boolean perClient = true;
        if (d.containsKey("audit_log") && !d.get("audit_log").text().isBlank()) {
            IniValue v = d.get("audit_log");
            try {
                audit = Path.of(v.text().strip());
            } catch (InvalidPathException e) {
                throw new ConfigException(mandosConf, v.line(), "audit_log", "not a valid path: " + e.getReason());
            }
        }
        if (d.containsKey("metrics_address") && !d.get("metrics_address").text().isBlank()) {
            IniValue v = d.get("metrics_address");
            try {
                metrics = hostPort(v.text().strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(mandosConf, v.line(), "metrics_address", e.getMessage());
            }
        }
        if (d.containsKey("metrics_per_client")) {
            IniValue v = d.get("metrics_per_client");
            try {
                perClient = Booleans.parse(v.text());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(mandosConf, v.line(), "metrics_per_client", e.getMessage());
            }
        }
        return new OperationsSettings(audit, metrics, perClient);
    }

    /**
     * Parses HOST:PORT ({@code 127.0.0.1:9101}, {@code [::1]:9101}, {@code localhost:9101}).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("not HOST:PORT: \"" + text + "\"");
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("write an IPv6 address in brackets: [" + host + "]:PORT");
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number: \"" + text.substring(colon + 1) + "\"");
        }
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("port out of range: " + port + " (1..65535)");
        return new InetSocketAddress(host, port);
    }

    public OperationsSettings withAuditLog(Path path) {
        return new OperationsSettings(path, metricsAddress, metricsPerClient);
    }

    public OperationsSettings withMetricsAddress(InetSocketAddress address) {
        return new OperationsSettings(auditLog, address, metricsPerClient);
    }

    public OperationsSettings withMetricsPerClient(boolean on) {
        return new OperationsSettings(auditLog, metricsAddress, on);
    }
}
