package org.mandosjava.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.logging.Logger;
import org.mandosjava.cluster.ClusterImport;
import org.mandosjava.cluster.ClusterNode;
import org.mandosjava.cluster.ClusterOptions;
import org.mandosjava.cluster.EtcdSharedState;
import org.mandosjava.cluster.SharedState;
import org.mandosjava.cluster.etcd.EtcdClient;
import org.mandosjava.cluster.etcd.EtcdClientSettings;
import org.mandosjava.cluster.etcd.EtcdException;
import org.mandosjava.config.ClusterSettings;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.state.SavedState;

/**
 * The server's part in a cluster, when mandos.conf sets {@code etcd_endpoints}: the etcd connection
 * (made before privileges are dropped, since its TLS key and password files may be root's), joining
 * once the registry holds the state file's clients, and the migration commands.
 */
final class ClusterSetup {
    private static final Logger LOG = Logger.getLogger(ClusterSetup.class.getName());
    /** How long presence outlives the last renewal: a crashed server stops counting as present after this. */
    static final long LEASE_TTL_SECONDS = 10;

    private ClusterSetup() {}

    /** The etcd connection, or null when clustering is off. */
    static EtcdClient connect(ClusterSettings settings) throws EtcdException {
        return settings.enabled() ? EtcdClient.connect(EtcdClientSettings.from(settings)) : null;
    }

    static SharedState shared(ClusterSettings settings, EtcdClient etcd) {
        return new EtcdSharedState(etcd, settings.etcdPrefix(), LEASE_TTL_SECONDS);
    }

    /** Joins: the store's records are applied before the registry starts; callers' changes go through it from now on. */
    static ClusterNode join(ClusterSettings settings, EtcdClient etcd, ClientRegistry registry, boolean serveColdCache) {
        ClusterOptions options = ClusterOptions.of(settings.serverId(), settings.confirmTimeout(), settings.strictAfter())
                .withServeColdCache(serveColdCache);
        ClusterNode node = ClusterNode.join(options, shared(settings, etcd), registry, Instant::now);
        LOG.info("Cluster: " + node.status().describe());
        return node;
    }

    /** {@code --cluster-import}: this server's state into etcd; the exit status. */
    static int importState(ClusterSettings settings, SavedState state, PrintStream out, PrintStream err) {
        if (!settings.enabled()) {
            err.println("mandos: error: --cluster-import needs etcd_endpoints in mandos.conf");
            return ServerMain.EXIT_USAGE;
        }
        try (SharedState shared = shared(settings, connect(settings))) {
            ClusterImport.Result r = ClusterImport.run(state, shared);
            out.println("Imported " + r.imported().size() + " clients into etcd under " + settings.etcdPrefix()
                    + (r.imported().isEmpty() ? "" : ": " + String.join(", ", r.imported())));
            if (!r.present().isEmpty()) {
                out.println("Left alone (etcd has them already; the cluster decides): " + String.join(", ", r.present()));
            }
            return ServerMain.EXIT_OK;
        } catch (EtcdException | SharedState.UnavailableException e) {
            err.println("mandos: error: cannot import into etcd: " + e.getMessage());
            return ServerMain.EXIT_FAILURE;
        }
    }

    /** {@code --cluster-forget ID}: a member that will not come back is no longer waited for. */
    static int forget(ClusterSettings settings, String serverId, PrintStream out, PrintStream err) {
        if (!settings.enabled()) {
            err.println("mandos: error: --cluster-forget needs etcd_endpoints in mandos.conf");
            return ServerMain.EXIT_USAGE;
        }
        try (SharedState shared = shared(settings, connect(settings))) {
            shared.leave(serverId);
            out.println("Forgot cluster member " + serverId + "; it joins again when it starts");
            return ServerMain.EXIT_OK;
        } catch (EtcdException | SharedState.UnavailableException e) {
            err.println("mandos: error: cannot reach etcd: " + e.getMessage());
            return ServerMain.EXIT_FAILURE;
        }
    }
}
