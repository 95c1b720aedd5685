package org.mandosjava.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.platform.OwnershipHandover;
import org.mandosjava.platform.PrivilegeException;
import org.mandosjava.platform.Privileges;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.PythonStateImport;
import org.mandosjava.state.SavedState;
import org.mandosjava.state.StateCorruptException;
import org.mandosjava.state.StateMerge;
import org.mandosjava.state.StateStore;

/**
 * The state directory at startup (spec §8, done better): prepared, the saved state (or, when we have
 * none yet, the Python server's {@code clients.pickle}) loaded and merged with clients.conf. Done
 * before detaching, so a corrupt state file stops the start on the administrator's terminal instead
 * of silently re-enabling every client.
 *
 * @param clients the clients to serve, in clients.conf order, without those removed at runtime
 * @param restored runtime state by client name, for clients that have one
 * @param warnings problems found while loading, to log at WARNING once logging is set up
 * @param fresh how many clients are new in clients.conf (no saved state for them), to log at INFO
 * @param notes what else the merge decided, to log at INFO
 */
record StateSetup(StateStore store, List<ClientConfig> clients, Map<String, ClientSnapshot> restored,
        List<String> warnings, int fresh, List<String> notes) {

    static StateSetup load(ServerSettings settings, List<ClientConfig> configs, Instant now) throws ConfigException {
        Path dir = settings.stateDir();
        StateStore store;
        try {
            store = StateStore.prepareExclusive(dir);
        } catch (IOException e) {
            throw new ConfigException(null, 0, "statedir", "cannot use state directory " + dir + ": "
                    + e.getMessage() + " (choose another with --statedir)");
        }
        // A copy of a secret only when the saved state asks for it: not 100,000 copies at every start.
        Map<String, ClientConfig> byName = new HashMap<>();
        for (ClientConfig c : configs) byName.put(c.name(), c);
        Function<String, byte[]> secretOf = name -> {
            ClientConfig c = byName.get(name);
            return c == null ? null : c.secret();
        };
        List<String> warnings = new ArrayList<>();
        Optional<StateStore.LoadedState> loaded = Optional.empty();
        if (settings.restore()) {
            try {
                loaded = store.load(secretOf);
                Path pickle = dir.resolve(PythonStateImport.FILE_NAME);
                if (loaded.isEmpty() && Files.exists(pickle)) {
                    loaded = Optional.of(PythonStateImport.read(pickle, secretOf));
                    warnings.add("Imported the Python server's state from " + pickle
                            + "; from now on state is kept in " + store.currentFile());
                }
            } catch (StateCorruptException e) {
                throw new ConfigException(null, 0, "statedir", e.getMessage() + "; refusing to start, since "
                        + "starting from clients.conf alone could re-enable disabled clients (start once with "
                        + "--no-restore to accept that)");
            } catch (IOException e) {
                throw new ConfigException(null, 0, "statedir", "cannot read saved state in " + dir + ": "
                        + e.getMessage());
            }
        }
        loaded.ifPresent(l -> warnings.addAll(l.warnings()));
        SavedState saved = loaded.map(StateStore.LoadedState::state).orElse(new SavedState(Map.of(), Map.of(), now));
        StateMerge.Result merged = StateMerge.merge(saved, configs, now);
        List<ClientConfig> clients = new ArrayList<>();
        Map<String, ClientSnapshot> restored = new LinkedHashMap<>();
        for (StateMerge.RestoredClient rc : merged.clients()) {
            clients.add(rc.config());
            if (rc.state() != null) restored.put(rc.config().name(), rc.state());
        }
        return new StateSetup(store, List.copyOf(clients), restored, List.copyOf(warnings), merged.fresh().size(),
                merged.notes());
    }

    /** The merged state as a snapshot (clients without saved state fresh from their section), for --cluster-import. */
    SavedState saved(Instant now) {
        Map<String, ClientSnapshot> all = new LinkedHashMap<>();
        for (ClientConfig c : clients) all.put(c.name(), restored.getOrDefault(c.name(), ClientSnapshot.fresh(c, now)));
        return new SavedState(Map.of(), all, now);
    }

    /**
     * As root, before privileges are dropped: the unprivileged server must be able to save. Only
     * the directory and our own files in it change owner, and never through a link the directory's
     * owner may have planted there.
     *
     * @return warnings about entries left alone
     */
    List<String> handOver() throws IOException {
        if (!Privileges.isRoot()) return List.of();
        try {
            Privileges.Account account = Privileges.unprivilegedAccount();
            return OwnershipHandover.chownDirectory(store.directory(), StateSetup::ours, account.uid(), account.gid());
        } catch (PrivilegeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The state files (and their temporary and previous generations) and the directory lock. */
    static boolean ours(String name) {
        return name.startsWith(StateStore.FILE_NAME) || name.equals(LOCK_FILE);
    }

    private static final String LOCK_FILE = "mandos-java.lock";
}
