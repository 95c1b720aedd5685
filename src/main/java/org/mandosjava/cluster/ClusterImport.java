package org.mandosjava.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.SavedState;

/**
 * Migration into a cluster: a single server's state (its state file merged with clients.conf) is
 * written to the store, one record per client the store does not have yet. Records the store
 * already has are left alone and listed: the store decides once a cluster runs.
 */
public final class ClusterImport {
    private ClusterImport() {}

    /** What an import did. */
    public record Result(List<String> imported, List<String> present) {}

    /**
     * Writes a record for each client of {@code state} that {@code store} lacks: enabled or not, the
     * runtime secret if one was set, the last checker success.
     */
    public static Result run(SavedState state, SharedState store) throws SharedState.UnavailableException {
        List<String> imported = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Map.Entry<String, ClientSnapshot> e : state.clients().entrySet()) {
            ClientSnapshot s = e.getValue();
            ClientRecord record = new ClientRecord(s.enabled(), false, s.hasRuntimeSecret() ? s.runtimeSecret() : null,
                    s.lastCheckedOk(), null, 0, Map.of());
            if (store.commit(new SharedState.Cas(e.getKey(), 0, record)) >= 0) imported.add(e.getKey());
            else present.add(e.getKey());
        }
        return new Result(List.copyOf(imported), List.copyOf(present));
    }
}
