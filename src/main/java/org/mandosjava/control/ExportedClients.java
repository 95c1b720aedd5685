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
    /** The properties whose changes are signalled, in {@link ClientProperty}'s order. */
    private static final List<ClientProperty> COMPARED = ClientProperty.ALL.stream()
            .filter(p -> p.readable() && p.emits == ClientProperty.Emits.TRUE).toList();

    /** Beyond this many distinct durations (set one by one over D-Bus, say), each is kept on its own. */
    private static final int MAX_SHARED_NUMBERS = 1024;

    private final Object lock = new Object();
    private final ClientPaths paths = new ClientPaths();
    /** Per client, the values of {@link #COMPARED} last announced: an array, as 100,000 maps would be 100 MB. */
    private final Map<String, Object[]> lastValues = new HashMap<>();
    /** The distinct durations kept in {@link #lastValues}; few, as clients mostly share their settings. */
    private final Map<Long, Long> numbers = new HashMap<>();

    /** What changed for one client: its path, the readable properties with new values, and whether Secret was set. */
    record Changes(String path, List<ClientProperty> changed, boolean secret) {}

    /** Gives a client its object; false if it has one already. */
    boolean export(ClientStatus status) {
        synchronized (lock) {
            if (paths.pathOf(status.name()) != null) return false;
            String path = paths.assign(status.name());
            lastValues.put(status.name(), values(status, path));
            return true;
        }
    }

    /** The client was announced with the values of {@code status}: later changes are compared with them. */
    void announced(ClientStatus status) {
        synchronized (lock) {
            String path = paths.pathOf(status.name());
            if (path != null) lastValues.put(status.name(), values(status, path));
        }
    }

    /** Called with the lock held. */
    private Object[] values(ClientStatus status, String path) {
        Object[] values = new Object[COMPARED.size()];
        for (int i = 0; i < values.length; i++) values[i] = compared(COMPARED.get(i), status, path);
        return values;
    }

    /**
     * A property's value in a form as cheap to keep as to compare: a duration's milliseconds (not
     * dbus-java's UInt64, which holds a BigInteger: 40 MB with 100,000 clients), one object per
     * distinct number (clients mostly share their durations). Called with the lock held.
     */
    private Object compared(ClientProperty p, ClientStatus status, String path) {
        Object value = p.plainValue(status, path);
        if (!(value instanceof Long millis)) return value;
        Long shared = numbers.get(millis);
        if (shared != null) return shared;
        if (numbers.size() < MAX_SHARED_NUMBERS) numbers.put(millis, millis);
        return millis;
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
        synchronized (lock) {
            String path = paths.pathOf(status.name());
            Object[] last = lastValues.get(status.name());
            if (path == null || last == null) return null;
            for (int i = 0; i < last.length; i++) {
                ClientProperty p = COMPARED.get(i);
                if (!names.contains(p.dbusName)) continue;
                Object value = compared(p, status, path);
                if (!Objects.equals(last[i], value)) {
                    last[i] = value;
                    changed.add(p);
                }
            }
            return new Changes(path, changed, names.contains(ClientProperty.SECRET.dbusName));
        }
    }
}
