package org.mandosjava.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The clients present, by name (in clients.conf order) and by key_id. Several sections may share a
 * key_id: as in the original, which scans in file order, the first one gets the secret; the others
 * are shadowed and the next of them takes over when it goes. Guarded by the registry's lock.
 */
final class ClientDirectory {
    private static final Logger LOG = Logger.getLogger(ClientDirectory.class.getName());

    private Map<String, Client> byName = new LinkedHashMap<>();
    private Map<String, Client> byKeyId = new HashMap<>();
    /** Clients whose key_id an earlier one holds, in the order they came; only shared key_ids appear. */
    private final Map<String, List<Client>> shadowed = new HashMap<>();

    /** Makes room for {@code count} clients about to be added to an empty directory, at once. */
    void reserve(int count) {
        if (!byName.isEmpty()) return;
        byName = LinkedHashMap.newLinkedHashMap(count);
        byKeyId = HashMap.newHashMap(count);
    }

    Client named(String name) {
        return byName.get(name);
    }

    /** The client that gets the secret for {@code keyId}, or null. */
    Client withKeyId(String keyId) {
        return byKeyId.get(keyId);
    }

    Collection<Client> all() {
        return byName.values();
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    void add(Client c) {
        byName.put(c.name(), c);
        String keyId = c.keyId();
        if (keyId.isEmpty()) {
            LOG.warning("Client " + c.name() + " has no key_id and can never be given its secret");
            return;
        }
        Client first = byKeyId.putIfAbsent(keyId, c);
        if (first != null) {
            shadowed.computeIfAbsent(keyId, k -> new ArrayList<>()).add(c);
            LOG.warning("Clients " + first.name() + " and " + c.name() + " have the same key_id; "
                    + c.name() + " will not be given its secret while " + first.name() + " is there");
        }
    }

    /** Takes {@code c} out; if it held a shared key_id, the next client with that key_id takes over. */
    void remove(Client c) {
        byName.remove(c.name(), c);
        String keyId = c.keyId();
        List<Client> waiting = shadowed.get(keyId);
        if (waiting != null && waiting.remove(c)) {
            if (waiting.isEmpty()) shadowed.remove(keyId);
            return;
        }
        if (!byKeyId.remove(keyId, c) || waiting == null) return;
        Client next = waiting.remove(0);
        if (waiting.isEmpty()) shadowed.remove(keyId);
        byKeyId.put(keyId, next);
        LOG.info("Client " + next.name() + " now gets the secret for the key_id it shared with " + c.name());
    }

    /** Puts the clients in {@code order} (the names of a new clients.conf); others keep their place after. */
    void reorder(List<String> order) {
        Map<String, Client> old = new LinkedHashMap<>(byName);
        byName.clear();
        for (String name : order) {
            Client c = old.remove(name);
            if (c != null) byName.put(name, c);
        }
        byName.putAll(old);
    }
}
