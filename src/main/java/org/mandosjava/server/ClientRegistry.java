package org.mandosjava.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.protocol.KeyId;

/**
 * The set of configured clients and the decisions about them: who gets a secret. Connections ask,
 * the registry decides and changes client state, listeners are told.
 */
public final class ClientRegistry {
    private static final Logger LOG = Logger.getLogger(ClientRegistry.class.getName());

    private final List<ServerEventListener> listeners = new CopyOnWriteArrayList<>();
    /** Replaced whole on reload, so lookups need no lock. */
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of());

    private record Snapshot(List<Client> clients, Map<String, Client> byKeyId) {}

    public ClientRegistry(List<ClientConfig> configs) {
        replace(configs);
    }

    public void addListener(ServerEventListener listener) {
        listeners.add(listener);
    }

    /**
     * Installs a new configuration. Clients whose section is unchanged keep their runtime state;
     * the rest start from their configuration.
     */
    public synchronized void replace(List<ClientConfig> configs) {
        Map<String, Client> previous = new LinkedHashMap<>();
        for (Client c : snapshot.clients()) previous.put(c.name(), c);
        List<Client> clients = new ArrayList<>(configs.size());
        Map<String, Client> byKeyId = new LinkedHashMap<>();
        for (ClientConfig config : configs) {
            Client old = previous.get(config.name());
            Client client = old != null && sameSettings(old.config(), config) ? old : new Client(config);
            clients.add(client);
            String keyId = config.keyId();
            if (keyId.isEmpty()) {
                LOG.warning("Client " + config.name() + " has no key_id and can never be given its secret");
                continue;
            }
            Client first = byKeyId.putIfAbsent(keyId, client);
            if (first != null) {
                // The original scans in file order and the first match wins; say so.
                LOG.warning("Clients " + first.name() + " and " + config.name() + " have the same key_id; "
                        + config.name() + " will never be given its secret");
            }
        }
        if (clients.isEmpty()) LOG.warning("No clients defined");
        snapshot = new Snapshot(Collections.unmodifiableList(clients), Map.copyOf(byKeyId));
    }

    private static boolean sameSettings(ClientConfig a, ClientConfig b) {
        return a.options().equals(b.options()) && java.util.Arrays.equals(a.secret(), b.secret());
    }

    public List<Client> clients() {
        return snapshot.clients();
    }

    public Client byName(String name) {
        for (Client c : snapshot.clients()) {
            if (c.name().equals(name)) return c;
        }
        return null;
    }

    /** Decides what a peer that proved possession of the key {@code keyId} gets. */
    public Decision decide(String keyId, String peer) {
        Client client = KeyId.EMPTY_KEY.equals(keyId) ? null : snapshot.byKeyId().get(keyId);
        if (client == null) {
            emit(new ServerEvent.ClientNotFound(keyId, peer));
            return new Decision.Unknown(keyId);
        }
        if (!client.isEnabled()) {
            emit(new ServerEvent.Rejected(client.name(), peer, "Disabled"));
            return new Decision.Refuse(client, "Disabled");
        }
        return new Decision.Send(client, client.config().secret());
    }

    /** The secret was written to the client. */
    public void secretSent(Client client, String peer) {
        emit(new ServerEvent.SecretSent(client.name(), peer));
    }

    /** Enables or disables a client by name; false if there is no such client. */
    public boolean setEnabled(String name, boolean enabled) {
        Client client = byName(name);
        if (client == null) return false;
        client.setEnabled(enabled);
        return true;
    }

    private void emit(ServerEvent event) {
        for (ServerEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "event listener failed on " + event, e);
            }
        }
    }
}
