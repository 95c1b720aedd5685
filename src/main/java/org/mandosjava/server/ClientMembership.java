package org.mandosjava.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
    /** Bumped under the lock whenever the clients present or {@link #configInForce} change. */
    private long membershipChanges;
    /** Run without the lock between the turns of {@link #eachClient}; tests look at the registry there. */
    private Runnable betweenTurns = () -> {};

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
            // One reading of the clock for all: they are created together, and with 100,000
            // clients reading it for each was a third of building the registry.
            Instant now = scheduler.now();
            clients.reserve(configs.size());
            for (ClientConfig config : configs) {
                configInForce.put(config.name(), config);
                Client c = insert(config, now);
                ClientSnapshot saved = restored.get(config.name());
                if (saved != null) c.restore(saved, scheduler);
            }
            if (clients.isEmpty()) LOG.warning("No clients defined");
        } finally {
            lock.unlock();
        }
    }

    /** The state worth saving; see {@link #eachClient}. */
    SavedState snapshot() {
        Taken<ClientConfig[], ClientSnapshot> taken = eachClient(
                () -> configInForce.values().toArray(ClientConfig[]::new), c -> c.snapshot(scheduler));
        return savedState(taken.atStart(), taken.views());
    }

    /** The state worth saving, all at once; call with the lock held. */
    private SavedState snapshotLocked() {
        return savedState(configInForce.values().toArray(ClientConfig[]::new),
                allNow(c -> c.snapshot(scheduler)));
    }

    private SavedState savedState(ClientConfig[] configs, List<ClientSnapshot> taken) {
        Map<String, Map<String, String>> config = LinkedHashMap.newLinkedHashMap(configs.length);
        for (ClientConfig c : configs) config.put(c.name(), c.options());
        Map<String, ClientSnapshot> saved = LinkedHashMap.newLinkedHashMap(taken.size());
        for (ClientSnapshot c : taken) saved.put(c.name(), c);
        return new SavedState(config, saved, scheduler.now());
    }

    /** Clients whose view is taken in one turn under the lock: about a millisecond's work. */
    static final int TURN = 1000;
    /** Tries at taking every client in turns before they are taken at once under the lock. */
    private static final int TRIES_IN_TURNS = 3;

    /** What {@link #eachClient} took: {@code atStart} with who was present, and a view of each of them. */
    record Taken<X, T>(X atStart, List<T> views) {}

    /**
     * {@code view} of every client present, in clients.conf order, without holding the lock for all
     * of them: with 100,000 clients that takes 50-150 ms, and no connection could be given its secret
     * meanwhile. Who is present is read at once under the lock, with {@code atStart}; the views in
     * turns of {@link #TURN} clients under the lock, so each client's view is consistent in itself
     * and shows every change made before the call. A client added or removed between turns starts
     * it over; after a few tries, all is taken under the lock at once.
     */
    <X, T> Taken<X, T> eachClient(Supplier<X> atStart, Function<Client, T> view) {
        for (int attempt = 0; attempt < TRIES_IN_TURNS; attempt++) {
            Taken<X, T> taken = inTurns(atStart, view);
            if (taken != null) return taken;
        }
        return lock.read(() -> new Taken<>(atStart.get(), allNow(view)));
    }

    /** @return null if who is present changed before all turns were done */
    private <X, T> Taken<X, T> inTurns(Supplier<X> atStart, Function<Client, T> view) {
        long seen;
        Client[] members;
        X first;
        lock.lock();
        try {
            if (clients.all().size() <= TURN) return new Taken<>(atStart.get(), allNow(view));
            seen = membershipChanges;
            members = clients.all().toArray(Client[]::new);
            first = atStart.get();
        } finally {
            lock.unlock();
        }
        List<T> views = new ArrayList<>(members.length);
        for (int from = 0; from < members.length; from += TURN) {
            betweenTurns.run();
            lock.lock();
            try {
                if (membershipChanges != seen) return null;
                for (int i = from; i < Math.min(members.length, from + TURN); i++) views.add(view.apply(members[i]));
            } finally {
                lock.unlock();
            }
        }
        return new Taken<>(first, views);
    }

    /**
     * Runs {@code action} under the lock on every client present now, in clients.conf order and in
     * turns of {@link #TURN}, the lock free between turns (as {@link #eachClient} takes its views).
     * A client removed before its turn is still given to {@code action}, which must tell; no turn
     * runs once {@code stop} (read under the lock) is true. Each turn's changes are published as
     * it releases the lock.
     */
    void forEachInTurns(Consumer<Client> action, BooleanSupplier stop) {
        Client[] members = lock.read(() -> clients.all().toArray(Client[]::new));
        boolean[] stopped = {false};
        for (int from = 0; from < members.length && !stopped[0]; from += TURN) {
            betweenTurns.run();
            int turn = from;
            lock.locked(() -> {
                stopped[0] = stop.getAsBoolean();
                if (stopped[0]) return;
                for (int i = turn; i < Math.min(members.length, turn + TURN); i++) action.accept(members[i]);
            });
        }
    }

    /** {@code view} of every client present; call with the lock held. */
    private <T> List<T> allNow(Function<Client, T> view) {
        List<T> views = new ArrayList<>(clients.all().size());
        for (Client c : clients.all()) views.add(view.apply(c));
        return views;
    }

    /** See {@link #betweenTurns}. */
    void betweenTurns(Runnable action) {
        betweenTurns = action;
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
            membershipChanges++;
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
                live = snapshotLocked();
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
            ClientRegistry.Reconfiguration plan = merge.apply(snapshotLocked());
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
            membershipChanges++;
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
        return insert(config, scheduler.now());
    }

    private Client insert(ClientConfig config, Instant now) {
        Client c = new Client(config, lock.newCondition(), now);
        clients.add(c);
        membershipChanges++;
        return c;
    }

    /** Takes a client out (removal, or replacement by a changed section): stopped, forgotten, waiters woken. */
    private void forget(Client c) {
        leaving.accept(c);
        c.enabled = false;
        c.removed = true;
        c.touch();
        clients.remove(c);
        membershipChanges++;
        lock.queue(new ServerEvent.ClientRemoved(c.name()));
    }
}
