package org.mandosjava.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.SavedState;

/**
 * Which clients there are, and the clients.conf sections in force: clients added and removed at
 * runtime, and a new clients.conf installed (spec §8). Owned by {@link ClientRegistry}; what a
 * client that joins or leaves needs from the registry's other helpers comes in as {@code joined}
 * and {@code leaving}.
 */
final class ClientMembership {
    /** The registry's logger: these are the registry's messages, and a log filter on its name sees them all. */
    private static final Logger LOG = Logger.getLogger(ClientRegistry.class.getName());
    /** Tries at merging a reload without the lock before it is merged under the lock. */
    private static final int UNLOCKED_MERGES = 3;

    private final ClientLock lock;
    private final Scheduler scheduler;
    private final ClientDirectory clients;
    /** Every section of the clients.conf in force, also of clients removed at runtime (spec §8). */
    private final Map<String, ClientConfig> configInForce = new LinkedHashMap<>();
    /** Called under the lock for a client added after the first ones: its timers, once the registry runs. */
    private final Consumer<Client> joined;
    /** Called under the lock for a client taken out: its timers, checker and approval waits stop. */
    private final Consumer<Client> leaving;

    ClientMembership(ClientLock lock, Scheduler scheduler, ClientDirectory clients, Consumer<Client> joined,
            Consumer<Client> leaving) {
        this.lock = lock;
        this.scheduler = scheduler;
        this.clients = clients;
        this.joined = joined;
        this.leaving = leaving;
    }

    /** The first clients, with the state a previous run saved; before anything else sees them. */
    void load(List<ClientConfig> configs, Map<String, ClientSnapshot> restored) {
        lock.lock();
        try {
            for (ClientConfig config : configs) {
                configInForce.put(config.name(), config);
                Client c = insert(config);
                ClientSnapshot saved = restored.get(config.name());
                if (saved != null) c.restore(saved, scheduler);
            }
            if (clients.isEmpty()) LOG.warning("No clients defined");
        } finally {
            lock.unlock();
        }
    }

    SavedState snapshot() {
        return lock.read(() -> {
            Map<String, Map<String, String>> config = new LinkedHashMap<>();
            configInForce.forEach((name, c) -> config.put(name, c.options()));
            Map<String, ClientSnapshot> saved = new LinkedHashMap<>();
            for (Client c : clients.all()) saved.put(c.name(), c.snapshot(scheduler));
            return new SavedState(config, saved, scheduler.now());
        });
    }

    byte[] configuredSecret(String name) {
        return lock.read(() -> {
            ClientConfig c = configInForce.get(name);
            return c == null ? null : c.secret();
        });
    }

    boolean remove(String name) {
        lock.lock();
        try {
            Client c = clients.named(name);
            if (c == null) return false;
            forget(c);
            lock.saveNeeded(true);
            LOG.info("Removed client " + name);
            return true;
        } finally {
            lock.unlockAndPublish();
        }
    }

    void reconfigure(List<ClientConfig> configs, Map<String, ClientSnapshot> restored) {
        lock.lock();
        try {
            Map<String, ClientConfig> next = new LinkedHashMap<>();
            for (ClientConfig config : configs) next.put(config.name(), config);
            for (Client c : new ArrayList<>(clients.all())) {
                if (!sameSection(c.config, next.get(c.name()))) forget(c);
            }
            for (ClientConfig config : configs) {
                if (clients.named(config.name()) == null) {
                    Client c = insert(config);
                    ClientSnapshot saved = restored.get(config.name());
                    if (saved != null) c.restore(saved, scheduler);
                    lock.queue(new ServerEvent.ClientAdded(c.name()));
                    joined.accept(c);
                }
            }
            clients.reorder(List.copyOf(next.keySet()));
            configInForce.clear();
            configInForce.putAll(next);
            lock.saveNeeded(true);
            if (clients.isEmpty()) LOG.warning("No clients defined");
        } finally {
            lock.unlockAndPublish();
        }
    }

    void reconfigure(Function<SavedState, ClientRegistry.Reconfiguration> merge) {
        for (int attempt = 0; attempt < UNLOCKED_MERGES; attempt++) {
            long seen;
            SavedState live;
            lock.lock();
            try {
                seen = lock.generation();
                live = snapshot();
            } finally {
                lock.unlock();
            }
            ClientRegistry.Reconfiguration plan = merge.apply(live);
            lock.lock();
            try {
                if (lock.generation() == seen) {
                    reconfigure(plan.configs(), plan.restored());
                    return;
                }
            } finally {
                lock.unlockAndPublish();
            }
        }
        lock.lock();
        try {
            ClientRegistry.Reconfiguration plan = merge.apply(snapshot());
            reconfigure(plan.configs(), plan.restored());
        } finally {
            lock.unlockAndPublish();
        }
    }

    /** @throws IllegalArgumentException if the name or key_id of {@code config} is taken; call with the lock */
    static void checkFree(ClientDirectory clients, ClientConfig config) {
        if (clients.named(config.name()) != null) {
            throw new IllegalArgumentException("a client named " + config.name() + " exists already");
        }
        Client holder = config.keyId().isEmpty() ? null : clients.withKeyId(config.keyId());
        if (holder != null) {
            throw new IllegalArgumentException("client " + holder.name() + " has that key_id already");
        }
    }

    void add(ClientConfig config) {
        lock.lock();
        try {
            checkFree(clients, config);
            Client c = insert(config);
            configInForce.put(config.name(), config);
            lock.queue(new ServerEvent.ClientAdded(c.name()));
            lock.saveNeeded(true);
            joined.accept(c);
        } finally {
            lock.unlockAndPublish();
        }
    }

    private static boolean sameSection(ClientConfig a, ClientConfig b) {
        return b != null && a.options().equals(b.options()) && b.hasSecret(a.secret());
    }

    private Client insert(ClientConfig config) {
        Client c = new Client(config, lock.newCondition(), scheduler.now());
        clients.add(c);
        return c;
    }

    /** Takes a client out (removal, or replacement by a changed section): stopped, forgotten, waiters woken. */
    private void forget(Client c) {
        leaving.accept(c);
        c.enabled = false;
        c.removed = true;
        c.touch();
        clients.remove(c);
        lock.queue(new ServerEvent.ClientRemoved(c.name()));
    }
}
