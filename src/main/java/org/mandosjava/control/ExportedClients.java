package org.mandosjava.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mandosjava.server.ClientStatus;

/**
 * The client objects on the bus: each exported client's path ({@link ClientPaths}) and the property
 * values last announced for it, so that only real changes are signalled. Thread-safe; its lock is
 * never held while calling the registry (whose event delivery calls back into the D-Bus side).
 */
final class ExportedClients {
    private final Object lock = new Object();
    private final ClientPaths paths = new ClientPaths();
    private final Map<String, Map<ClientProperty, Object>> lastValues = new HashMap<>();

    /** What changed for one client: its path, the readable properties with new values, and whether Secret was set. */
    record Changes(String path, List<ClientProperty> changed, boolean secret) {}

    /** Gives a client its object; false if it has one already. */
    boolean export(ClientStatus status) {
        synchronized (lock) {
            if (paths.pathOf(status.name()) != null) return false;
            String path = paths.assign(status.name());
            Map<ClientProperty, Object> values = new HashMap<>();
            for (ClientProperty p : ClientProperty.ALL) {
                if (p.readable()) values.put(p, p.value(status, path));
            }
            lastValues.put(status.name(), values);
            return true;
        }
    }

    /** Withdraws a client's object; its former path, or null if it had none. */
    String remove(String name) {
        synchronized (lock) {
            String path = paths.pathOf(name);
            if (path == null) return null;
            paths.release(name);
            lastValues.remove(name);
            return path;
        }
    }

    String pathOf(String name) {
        synchronized (lock) {
            return paths.pathOf(name);
        }
    }

    /** The client whose object is at {@code path}, or null. */
    String nameAt(String path) {
        synchronized (lock) {
            return paths.nameAt(path);
        }
    }

    long count() {
        synchronized (lock) {
            return lastValues.size();
        }
    }

    List<String> names() {
        synchronized (lock) {
            return new ArrayList<>(lastValues.keySet());
        }
    }

    /** Every client object's path, sorted (the children of {@code /clients}). */
    List<String> paths() {
        synchronized (lock) {
            List<String> children = new ArrayList<>();
            for (String name : lastValues.keySet()) children.add(paths.pathOf(name));
            children.sort(null);
            return children;
        }
    }

    /**
     * Of the properties the registry names as changed, those whose value differs from the one last
     * announced (recorded as announced now); null if the client has no object.
     */
    Changes changes(ClientStatus status, Set<String> names) {
        List<ClientProperty> changed = new ArrayList<>();
        boolean secret = false;
        synchronized (lock) {
            String path = paths.pathOf(status.name());
            Map<ClientProperty, Object> last = lastValues.get(status.name());
            if (path == null || last == null) return null;
            for (ClientProperty p : ClientProperty.ALL) {
                if (!names.contains(p.dbusName)) continue;
                if (p == ClientProperty.SECRET) {
                    secret = true;
                } else if (p.readable() && p.emits == ClientProperty.Emits.TRUE) {
                    Object value = p.value(status, path);
                    if (!Objects.equals(last.get(p), value)) {
                        last.put(p, value);
                        changed.add(p);
                    }
                }
            }
            return new Changes(path, changed, secret);
        }
    }
}
