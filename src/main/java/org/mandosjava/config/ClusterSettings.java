package org.mandosjava.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Clustering through etcd (not in the original), from mandos.conf's [DEFAULT]: {@code etcd_endpoints}
 * turns it on; the other keys are kept, but unused, while it is off, so a cluster can be brought
 * back to single-server mode by removing that one line. The original server ignores these keys.
 * There is deliberately no key for the etcd password itself: it lives in {@code etcd_password_file}.
 *
 * @param etcdEndpoints etcd client URLs, all {@code http://} or all {@code https://}; empty: clustering off
 * @param etcdPrefix the key prefix all shared state lives under, starting and ending with "/"
 * @param etcdCa PEM CA certificates for https endpoints, or null for the system's trust
 * @param etcdCert PEM client certificate for mutual TLS, or null
 * @param etcdKey PEM PKCS#8 key of {@code etcdCert}, or null
 * @param etcdUser etcd user for password authentication, or null
 * @param etcdPasswordFile the file holding that user's password, or null
 * @param etcdTimeout the bound on each call to etcd
 * @param confirmTimeout how long a security change waits for every live server to confirm it
 * @param strictAfter stop serving after this long without etcd, or null to keep serving from cache
 * @param serverId this server's name in the cluster (default: the host name)
 */
public record ClusterSettings(List<URI> etcdEndpoints, String etcdPrefix, Path etcdCa, Path etcdCert, Path etcdKey,
        String etcdUser, Path etcdPasswordFile, Duration etcdTimeout, Duration confirmTimeout, Duration strictAfter,
        String serverId) {
    public static final String DEFAULT_PREFIX = "/mandos/";
    public static final Duration DEFAULT_ETCD_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(2);
    /** Durations beyond this are mistakes, not settings. */
    static final Duration MAX_DURATION = Duration.ofHours(1);
    /** A server id becomes part of etcd keys and log lines. */
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public ClusterSettings {
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }

    /** Clustering off, everything else at its default. */
    public static ClusterSettings off(String hostName) {
        return new ClusterSettings(List.of(), DEFAULT_PREFIX, null, null, null, null, null, DEFAULT_ETCD_TIMEOUT,
                DEFAULT_CONFIRM_TIMEOUT, null, hostName);
    }

    /** Clustering off; the server id is the host name, looked up when asked for. */
    public static ClusterSettings off() {
        return off(HostName.get());
    }

    public boolean enabled() {
        return !etcdEndpoints.isEmpty();
    }

    /**
     * Reads the cluster keys of an already parsed mandos.conf over {@code base}.
     *
     * @throws ConfigException as {@code file:line: key: problem}
     */
    public static ClusterSettings from(IniFile ini, ClusterSettings base) throws ConfigException {
        Map<String, IniValue> d = ini.defaults().options();
        Reader r = new Reader(ini, d);
        if (d.containsKey("etcd_password")) {
            throw r.error("etcd_password", "the password does not belong in mandos.conf: put it in a file "
                    + "readable only by the server and name that file with etcd_password_file");
        }
        List<URI> endpoints = d.containsKey("etcd_endpoints") ? r.endpoints("etcd_endpoints") : base.etcdEndpoints;
        String prefix = d.containsKey("etcd_prefix") ? r.prefix("etcd_prefix") : base.etcdPrefix;
        Path ca = d.containsKey("etcd_ca") ? r.path("etcd_ca") : base.etcdCa;
        Path cert = d.containsKey("etcd_cert") ? r.path("etcd_cert") : base.etcdCert;
        Path key = d.containsKey("etcd_key") ? r.path("etcd_key") : base.etcdKey;
        String user = d.containsKey("etcd_user") ? r.textOrNull("etcd_user") : base.etcdUser;
        Path password = d.containsKey("etcd_password_file") ? r.path("etcd_password_file") : base.etcdPasswordFile;
        Duration timeout = d.containsKey("etcd_timeout") ? r.duration("etcd_timeout", false) : base.etcdTimeout;
        Duration confirm = d.containsKey("cluster_confirm_timeout")
                ? r.duration("cluster_confirm_timeout", false) : base.confirmTimeout;
        Duration strict = d.containsKey("cluster_strict_after")
                ? r.duration("cluster_strict_after", true) : base.strictAfter;
        String serverId = d.containsKey("server_id") ? r.serverId("server_id") : base.serverId;

        if ((cert == null) != (key == null)) {
            String given = cert == null ? "etcd_key" : "etcd_cert";
            throw r.error(given, "etcd_cert and etcd_key go together: set both or neither");
        }
        if ((user == null) != (password == null)) {
            String given = user == null ? "etcd_password_file" : "etcd_user";
            throw r.error(given, "etcd_user and etcd_password_file go together: set both or neither");
        }
        boolean https = endpoints.stream().anyMatch(u -> u.getScheme().equals("https"));
        if (!https && (ca != null || cert != null) && !endpoints.isEmpty()) {
            throw r.error(ca != null ? "etcd_ca" : "etcd_cert",
                    "TLS files are set but etcd_endpoints has no https:// URL");
        }
        return new ClusterSettings(endpoints, prefix, ca, cert, key, user, password, timeout, confirm, strict,
                serverId);
    }

    /** Typed access to [DEFAULT] values, with errors located at their line. */
    private record Reader(IniFile ini, Map<String, IniValue> d) {
        ConfigException error(String key, String problem) {
            IniValue v = d.get(key);
            return new ConfigException(ini.file(), v == null ? 0 : v.line(), key, problem);
        }

        String text(String key) {
            return d.get(key).text().strip();
        }

        String textOrNull(String key) {
            String t = text(key);
            return t.isEmpty() ? null : t;
        }

        List<URI> endpoints(String key) throws ConfigException {
            String t = text(key);
            if (t.isEmpty()) return List.of();
            List<URI> list = new ArrayList<>();
            for (String part : t.split(",", -1)) {
                String s = part.strip();
                if (s.isEmpty()) throw error(key, "empty URL in the list: \"" + t + "\"");
                URI u;
                try {
                    u = new URI(s);
                } catch (URISyntaxException e) {
                    throw error(key, "not a URL: \"" + s + "\"");
                }
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                    throw error(key, "not an http:// or https:// URL: \"" + s + "\"");
                }
                if (u.getHost() == null || u.getPort() < 0) {
                    throw error(key, "needs a host and a port, e.g. https://etcd1.example:2379: \"" + s + "\"");
                }
                if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                        || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                    throw error(key, "only scheme, host and port are allowed: \"" + s + "\"");
                }
                URI plain = URI.create(u.getScheme() + "://" + u.getRawAuthority());
                if (list.contains(plain)) throw error(key, "listed twice: \"" + s + "\"");
                list.add(plain);
            }
            if (list.stream().map(URI::getScheme).distinct().count() > 1) {
                throw error(key, "mixes http:// and https:// URLs; use one scheme for all members");
            }
            return list;
        }

        String prefix(String key) throws ConfigException {
            String t = text(key);
            if (!t.startsWith("/") || !t.endsWith("/") || t.length() < 2) {
                throw error(key, "must start and end with \"/\", e.g. /mandos/: \"" + t + "\"");
            }
            if (!t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw error(key, "only printable ASCII without spaces: \"" + t + "\"");
            }
            return t;
        }

        Path path(String key) throws ConfigException {
            String t = text(key);
            if (t.isEmpty()) return null;
            try {
                Path p = Path.of(t);
                if (!p.isAbsolute()) throw error(key, "must be an absolute path: \"" + t + "\"");
                return p;
            } catch (InvalidPathException e) {
                throw error(key, "not a valid path: " + e.getReason());
            }
        }

        Duration duration(String key, boolean optional) throws ConfigException {
            String t = text(key);
            if (optional && t.isEmpty()) return null;
            Duration v;
            try {
                v = Durations.parse(t);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
            if (v.isNegative() || v.isZero()) throw error(key, "must be longer than zero: \"" + t + "\"");
            if (v.compareTo(MAX_DURATION) > 0) throw error(key, "must be at most one hour (PT1H): \"" + t + "\"");
            return v;
        }

        String serverId(String key) throws ConfigException {
            String t = text(key);
            if (!SERVER_ID.matcher(t).matches()) {
                throw error(key, "1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit: \""
                        + t + "\"");
            }
            return t;
        }
    }

    /** This machine's host name, as gethostname(2) gives it. */
    static final class HostName {
        private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

        private HostName() {}

        static String get() {
            return get(() -> {
                try {
                    return java.net.InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    return "localhost";
                }
            });
        }

        static String get(Supplier<String> fallback) {
            try {
                String name = Files.readString(KERNEL).strip();
                if (!name.isEmpty()) return name;
            } catch (IOException | RuntimeException e) {
                // not Linux, or /proc not mounted: ask the JDK
            }
            return fallback.get();
        }
    }
}
