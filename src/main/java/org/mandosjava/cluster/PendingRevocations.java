package org.mandosjava.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.SharedChanges;

/**
 * Changes that take something away (disable, remove, deny, a new secret) made while the store is out
 * of reach: applied on this server at once, and committed to the store as soon as it answers again,
 * so that the other servers apply them then. Kept in memory only: a server restarted before the
 * store is back starts cold, and a cold server releases nothing until it has reached the store.
 */
final class PendingRevocations {
    private static final Logger LOG = Logger.getLogger(PendingRevocations.class.getName());

    private final Map<String, List<SharedChanges.Change>> pending = new LinkedHashMap<>();

    /** Whether {@code change} only takes away, so that applying it here alone is never unsafe. */
    static boolean revokes(SharedChanges.Change change) {
        return change instanceof SharedChanges.Disable || change instanceof SharedChanges.Remove
                || change instanceof SharedChanges.Secret
                || change instanceof SharedChanges.Approve a && !a.approved();
    }

    synchronized void add(String client, SharedChanges.Change change) {
        pending.computeIfAbsent(client, c -> new ArrayList<>()).add(change);
    }

    synchronized boolean holds(String client) {
        return pending.containsKey(client);
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    synchronized List<String> clients() {
        return List.copyOf(pending.keySet());
    }

    /** Commits every pending change on the client's current record; what conflicts stays for the next try. */
    void flush(SharedState state, LocalApplier applier, ClientRegistry registry) throws SharedState.UnavailableException {
        Map<String, List<SharedChanges.Change>> now;
        synchronized (this) {
            now = new LinkedHashMap<>(pending);
        }
        for (Map.Entry<String, List<SharedChanges.Change>> e : now.entrySet()) {
            String client = e.getKey();
            Optional<SharedState.Versioned> base = state.read(client);
            Optional<ClientStatus> status = registry.status(client);
            ClientRecord record = base.map(SharedState.Versioned::record)
                    .orElseGet(() -> status.map(ClientRecord::from).orElse(null));
            if (record == null) {
                forget(client, e.getValue());
                continue;
            }
            for (SharedChanges.Change c : e.getValue()) record = record.with(c);
            long revision = state.commit(new SharedState.Cas(client, base.map(SharedState.Versioned::modRevision)
                    .orElse(0L), record));
            if (revision < 0) continue; // changed meanwhile: next time, on the newer record
            forget(client, e.getValue());
            applier.offer(client, new SharedState.Versioned(record, revision));
            LOG.warning("Cluster: the change of client " + client + " made while the shared store was out of reach"
                    + " is committed now (revision " + revision + ")");
        }
    }

    private synchronized void forget(String client, List<SharedChanges.Change> done) {
        List<SharedChanges.Change> left = pending.get(client);
        if (left == null) return;
        left.removeAll(done);
        if (left.isEmpty()) pending.remove(client);
    }
}
