package org.mandosjava.config;

import java.nio.file.Path;

/**
 * Server-global settings: built-in defaults, overridden by mandos.conf's [DEFAULT], overridden by the
 * command-line options that were given (spec §1, §2.2). Immutable; use {@link #toBuilder()} to derive.
 *
 * @param interfaceName network interface to listen and announce on, or "" for all
 * @param address listen address, or "" for all
 * @param port listen port, or null for a kernel-chosen one
 * @param priority GnuTLS priority string
 * @param debugLevel log level name, or "" for the default
 * @param socket an inherited listening socket's file descriptor, or null
 * @param maxUnauthenticatedPerAddress connections from one address before its key is known, or null
 *     for the built-in default (not in the original, which has no limit)
 * @param cluster clustering through etcd, off unless mandos.conf sets etcd_endpoints (not in the original)
 */
public record ServerSettings(
        String interfaceName,
        String address,
        Integer port,
        boolean debug,
        String priority,
        String serviceName,
        boolean useDbus,
        boolean useIpv6,
        String debugLevel,
        boolean restore,
        Integer socket,
        Path stateDir,
        boolean foreground,
        boolean zeroconf,
        Path configDir,
        Integer maxUnauthenticatedPerAddress,
        ClusterSettings cluster) {

    public static final String DEFAULT_PRIORITY =
            "SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA";
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/mandos");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/mandos");

    /** The built-in defaults, before any file or option is read. */
    public static ServerSettings defaults() {
        return new ServerSettings("", "", null, false, DEFAULT_PRIORITY, "Mandos", true, true, "",
                true, null, DEFAULT_STATE_DIR, false, true, DEFAULT_CONFIG_DIR, null, ClusterSettings.off());
    }

    public ServerSettings withConfigDir(Path dir) {
        Builder b = toBuilder();
        b.configDir = dir;
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable twin of the record, for applying overrides one at a time. */
    public static final class Builder {
        public String interfaceName, address, priority, serviceName, debugLevel;
        public Integer port, socket, maxUnauthenticatedPerAddress;
        public boolean debug, useDbus, useIpv6, restore, foreground, zeroconf;
        public Path stateDir, configDir;
        public ClusterSettings cluster;

        Builder(ServerSettings s) {
            interfaceName = s.interfaceName; address = s.address; port = s.port; debug = s.debug;
            priority = s.priority; serviceName = s.serviceName; useDbus = s.useDbus;
            useIpv6 = s.useIpv6; debugLevel = s.debugLevel; restore = s.restore; socket = s.socket;
            stateDir = s.stateDir; foreground = s.foreground; zeroconf = s.zeroconf;
            configDir = s.configDir; maxUnauthenticatedPerAddress = s.maxUnauthenticatedPerAddress;
            cluster = s.cluster;
        }

        public ServerSettings build() {
            return new ServerSettings(interfaceName, address, port, debug, priority, serviceName,
                    useDbus, useIpv6, debugLevel, restore, socket, stateDir, foreground, zeroconf,
                    configDir, maxUnauthenticatedPerAddress, cluster);
        }
    }
}
