package org.mandosjava.cluster.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd.
 *
 * @param endpoints client URLs ({@code http://} or {@code https://host:port}), tried in order; a
 *     connect failure moves to the next
 * @param timeout the bound on each call, from sending to the full answer (monotonic clock)
 * @param caFile PEM certificates to trust for {@code https} endpoints, or null for the JDK's defaults
 * @param certFile PEM client certificate (chain) for mutual TLS, or null
 * @param keyFile PEM PKCS#8 private key of {@code certFile}, or null
 * @param user etcd user name for password authentication, or null
 * @param passwordFile file holding that user's password (one line), read at each authentication so
 *     it is never kept in a settings object, or null
 * @param requireLeader whether calls and watches ask the member to fail fast when it has no leader
 *     (etcd's {@code hasleader} metadata) instead of waiting out the timeout
 */
public record EtcdClientSettings(List<URI> endpoints, Duration timeout, Path caFile, Path certFile, Path keyFile,
        String user, Path passwordFile, boolean requireLeader) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public EtcdClientSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no etcd endpoint");
        for (URI u : endpoints) {
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http:// or https:// URL: " + u);
            }
        }
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
        if ((user == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("a user needs a password file, and a password file a user");
        }
    }

    /** The client settings mandos.conf's cluster keys describe (require-leader on). */
    public static EtcdClientSettings from(org.mandosjava.config.ClusterSettings c) {
        if (!c.enabled()) throw new IllegalArgumentException("clustering is off: etcd_endpoints is not set");
        return new EtcdClientSettings(c.etcdEndpoints(), c.etcdTimeout(), c.etcdCa(), c.etcdCert(), c.etcdKey(),
                c.etcdUser(), c.etcdPasswordFile(), true);
    }

    /** Plain endpoints, the default timeout, no TLS files, no user, require-leader on. */
    public static EtcdClientSettings of(List<URI> endpoints) {
        return new EtcdClientSettings(endpoints, DEFAULT_TIMEOUT, null, null, null, null, null, true);
    }

    public EtcdClientSettings withTimeout(Duration t) {
        return new EtcdClientSettings(endpoints, t, caFile, certFile, keyFile, user, passwordFile, requireLeader);
    }

    public EtcdClientSettings withTls(Path ca, Path cert, Path key) {
        return new EtcdClientSettings(endpoints, timeout, ca, cert, key, user, passwordFile, requireLeader);
    }

    public EtcdClientSettings withUser(String name, Path password) {
        return new EtcdClientSettings(endpoints, timeout, caFile, certFile, keyFile, name, password, requireLeader);
    }

    public EtcdClientSettings withRequireLeader(boolean on) {
        return new EtcdClientSettings(endpoints, timeout, caFile, certFile, keyFile, user, passwordFile, on);
    }
}
