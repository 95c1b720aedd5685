package org.mandosjava.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shared store in memory, with etcd's semantics where the cluster logic depends on them: one
 * revision counter, compare-and-swap on a key's modification revision, transactions, watches from a
 * revision (delivered in order on a thread of their own), compaction, lease-bound presence. Several
 * in-process "servers" each {@link #connect} to it; a connection can be cut (requests fail, its
 * watches go silent for good, as a cut TCP connection does) and healed, and its lease can lapse.
 */
final class MemoryStore {
    private long revision = 1;
    private long compactedThrough;
    private final Map<String, SharedState.Versioned> clients = new HashMap<>();
    private final Map<String, Long> members = new HashMap<>();
    private final Map<String, Connection> presence = new HashMap<>();
    private final List<SharedState.Event> history = new ArrayList<>();
    private final List<MemoryWatch> watches = new ArrayList<>();
    final AtomicLong requests = new AtomicLong();

    Connection connect() {
        return new Connection();
    }

    synchronized long revision() {
        return revision;
    }

    synchronized Optional<ClientRecord> record(String client) {
        return Optional.ofNullable(clients.get(client)).map(SharedState.Versioned::record);
    }

    /** Forgets the history up to now: a watch from an earlier revision is told it was compacted. */
    synchronized void compact() {
        compactedThrough = revision;
        history.clear();
    }

    private synchronized long write(List<SharedState.Event> events) {
        for (SharedState.Event e : events) history.add(e);
        for (MemoryWatch w : List.copyOf(watches)) w.deliver(events);
        return revision;
    }

    final class Connection implements SharedState {
        private volatile boolean cut;
        private final List<MemoryWatch> mine = new ArrayList<>();

        /** Requests fail and watches go silent, until {@link #heal()}; watches stay silent after it. */
        void cut() {
            cut = true;
            synchronized (MemoryStore.this) {
                for (MemoryWatch w : mine) w.dead = true;
            }
        }

        void heal() {
            cut = false;
        }

        /** The lease lapses: the presence entry goes, as when a server stops renewing it. */
        void expireLease() {
            synchronized (MemoryStore.this) {
                for (Map.Entry<String, Connection> e : List.copyOf(presence.entrySet())) {
                    if (e.getValue() == this) {
                        presence.remove(e.getKey());
                        revision++;
                        write(List.of(new PresenceLost(e.getKey(), revision)));
                    }
                }
            }
        }

        private void check() throws UnavailableException {
            requests.incrementAndGet();
            if (cut) throw new UnavailableException("cut off from the store", null);
        }

        @Override public Snapshot readAll() throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                return new Snapshot(Map.copyOf(clients), Map.copyOf(members), Set.copyOf(presence.keySet()), revision);
            }
        }

        @Override public Optional<Versioned> read(String client) throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                return Optional.ofNullable(clients.get(client));
            }
        }

        @Override public Snapshot readMembers() throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                return new Snapshot(Map.of(), Map.copyOf(members), Set.copyOf(presence.keySet()), revision);
            }
        }

        @Override public long commit(Cas cas) throws UnavailableException {
            return commitAll(List.of(cas));
        }

        @Override public long commitAll(List<Cas> batch) throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                for (Cas c : batch) {
                    Versioned now = clients.get(c.client());
                    if ((now == null ? 0 : now.modRevision()) != c.expected()) return -1;
                }
                revision++;
                List<Event> events = new ArrayList<>();
                for (Cas c : batch) {
                    clients.put(c.client(), new Versioned(c.record(), revision));
                    events.add(new ClientChanged(c.client(), c.record(), revision));
                }
                return write(events);
            }
        }

        @Override public Watch watch(long fromRevision, WatchListener listener) {
            synchronized (MemoryStore.this) {
                MemoryWatch w = new MemoryWatch(listener);
                if (cut) {
                    w.dead = true;
                    return w;
                }
                if (fromRevision <= compactedThrough) {
                    w.executor.execute(() -> listener.compacted(compactedThrough));
                    w.dead = true;
                    return w;
                }
                List<Event> replay = new ArrayList<>();
                for (Event e : history) if (e.revision() >= fromRevision) replay.add(e);
                if (!replay.isEmpty()) w.deliver(replay);
                watches.add(w);
                mine.add(w);
                return w;
            }
        }

        @Override public long reportApplied(String server, long applied) throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                members.put(server, applied);
                revision++;
                return write(List.of(new MemberChanged(server, applied, revision)));
            }
        }

        @Override public long heartbeat(String server) throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                presence.put(server, this);
                revision++;
                return write(List.of(new PresenceChanged(server, revision)));
            }
        }

        @Override public void leave(String server) throws UnavailableException {
            check();
            synchronized (MemoryStore.this) {
                members.remove(server);
                presence.remove(server);
                revision++;
                write(List.of(new MemberLeft(server, revision), new PresenceLost(server, revision)));
            }
        }

        @Override public void close() {
            synchronized (MemoryStore.this) {
                for (MemoryWatch w : mine) w.close();
            }
        }
    }

    /** One watch: events in order on its own thread, grouped by revision. */
    private final class MemoryWatch implements SharedState.Watch {
        final SharedState.WatchListener listener;
        final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
        volatile boolean dead;

        MemoryWatch(SharedState.WatchListener listener) {
            this.listener = listener;
        }

        void deliver(List<SharedState.Event> events) {
            if (dead) return;
            Map<Long, List<SharedState.Event>> byRevision = new LinkedHashMap<>();
            for (SharedState.Event e : events) byRevision.computeIfAbsent(e.revision(), r -> new ArrayList<>()).add(e);
            for (List<SharedState.Event> group : byRevision.values()) {
                executor.execute(() -> {
                    if (!dead) listener.events(group);
                });
            }
        }

        @Override public void close() {
            dead = true;
            synchronized (MemoryStore.this) {
                watches.remove(this);
            }
            executor.shutdown();
        }
    }

    /** Every record {@code client} had, in order (since the last compaction), for assertions. */
    synchronized List<ClientRecord> history(String client) {
        List<ClientRecord> out = new ArrayList<>();
        for (SharedState.Event e : history) {
            if (e instanceof SharedState.ClientChanged c && c.client().equals(client)) out.add(c.record());
        }
        return out;
    }

    /** Revisions present, for assertions. */
    synchronized Set<Long> revisions() {
        Set<Long> out = new TreeSet<>();
        for (SharedState.Event e : history) out.add(e.revision());
        return out;
    }
}
