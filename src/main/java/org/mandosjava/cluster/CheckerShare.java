package org.mandosjava.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.Origin;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.ServerEventListener;
import org.mandosjava.server.SharedChanges;

/**
 * Checker results shared: a client's expiry is the latest any server has seen. This server's
 * checker successes are written to the clients' records in batches (one transaction of up to
 * {@link #BATCH} records; a success is not written when the record already has one less than half
 * an interval older, so a cluster writes about once per client and interval, not once per server);
 * an expiry here is committed as a disable only if the record shows no later success, otherwise the
 * record is applied again and the client stays enabled.
 */
final class CheckerShare implements ServerEventListener {
    private static final Logger LOG = Logger.getLogger(CheckerShare.class.getName());
    static final int BATCH = 100;

    private final SharedState state;
    private final ClientRegistry registry;
    private final LocalApplier applier;
    private final Supplier<Instant> wallClock;
    private final Set<String> succeeded = new LinkedHashSet<>();
    private final Set<String> expired = new LinkedHashSet<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong records = new AtomicLong();

    CheckerShare(SharedState state, ClientRegistry registry, LocalApplier applier, Supplier<Instant> wallClock) {
        this.state = state;
        this.registry = registry;
        this.applier = applier;
        this.wallClock = wallClock;
    }

    @Override
    public void onEvent(ServerEvent event) {
        if (Origin.current() == Origin.CLUSTER) return;
        switch (event) {
            case ServerEvent.PropertiesChanged p when p.properties().contains("LastCheckedOK") -> add(succeeded, p.clientName());
            case ServerEvent.EnabledChanged e when !e.enabled() -> add(expired, e.clientName());
            default -> { }
        }
    }

    private synchronized void add(Set<String> set, String name) {
        set.add(name);
    }

    private synchronized List<String> drain(Set<String> set) {
        List<String> out = new ArrayList<>(set);
        set.clear();
        return out;
    }

    ClusterStatus.Counters counters() {
        return new ClusterStatus.Counters(requests.get(), records.get());
    }

    /**
     * Writes what is pending; what the store does not take stays pending.
     *
     * @return whether the store was asked anything (and answered)
     */
    boolean flush() throws SharedState.UnavailableException {
        long before = requests.get();
        List<String> names = drain(succeeded);
        try {
            writeSuccesses(names);
            names = List.of();
        } finally {
            for (String n : names) add(succeeded, n);
        }
        List<String> gone = drain(expired);
        for (int i = 0; i < gone.size(); i++) {
            try {
                expire(gone.get(i));
            } catch (SharedState.UnavailableException e) {
                for (String n : gone.subList(i, gone.size())) add(expired, n);
                throw e;
            }
        }
        return requests.get() != before;
    }

    private void writeSuccesses(List<String> names) throws SharedState.UnavailableException {
        List<SharedState.Cas> batch = new ArrayList<>();
        for (String name : names) {
            Optional<ClientStatus> status = registry.status(name);
            if (status.isEmpty() || status.get().lastCheckedOk() == null) continue;
            Instant at = status.get().lastCheckedOk();
            SharedState.Versioned v = applier.current(name);
            ClientRecord rec = v == null ? ClientRecord.from(status.get()) : v.record();
            if (v != null && rec.lastCheckedOk() != null
                    && !at.isAfter(rec.lastCheckedOk().plus(status.get().interval().dividedBy(2)))) {
                continue; // another success, recent enough, is there already
            }
            batch.add(new SharedState.Cas(name, v == null ? 0 : v.modRevision(), rec.checkedOk(at)));
        }
        for (int i = 0; i < batch.size(); i += BATCH) {
            List<SharedState.Cas> chunk = batch.subList(i, Math.min(batch.size(), i + BATCH));
            requests.incrementAndGet();
            long revision = state.commitAll(chunk);
            if (revision >= 0) {
                records.addAndGet(chunk.size());
                for (SharedState.Cas c : chunk) applier.offer(c.client(), new SharedState.Versioned(c.record(), revision));
            } else {
                for (SharedState.Cas c : chunk) writeOne(c);
            }
        }
    }

    /** One record whose batch failed its compare: read it again and move its success forward if still needed. */
    private void writeOne(SharedState.Cas c) throws SharedState.UnavailableException {
        requests.incrementAndGet();
        Optional<SharedState.Versioned> now = state.read(c.client());
        if (now.isEmpty()) return;
        applier.offer(c.client(), now.get());
        ClientRecord next = now.get().record().checkedOk(c.record().lastCheckedOk());
        if (next == now.get().record()) return;
        requests.incrementAndGet();
        long revision = state.commit(new SharedState.Cas(c.client(), now.get().modRevision(), next));
        if (revision >= 0) {
            records.incrementAndGet();
            applier.offer(c.client(), new SharedState.Versioned(next, revision));
        } else {
            add(succeeded, c.client()); // changed again meanwhile: next time
        }
    }

    /** The client expired here: disabled everywhere unless another server saw it succeed since. */
    private void expire(String name) throws SharedState.UnavailableException {
        Optional<ClientStatus> status = registry.status(name);
        if (status.isEmpty() || status.get().enabled()) return;
        requests.incrementAndGet();
        Optional<SharedState.Versioned> v = state.read(name);
        if (v.isEmpty()) {
            long revision = state.commit(new SharedState.Cas(name, 0, ClientRecord.from(status.get())));
            if (revision < 0) add(expired, name);
            return;
        }
        ClientRecord rec = v.get().record();
        applier.offer(name, v.get());
        if (!rec.enabled()) return;
        Instant until = rec.lastCheckedOk() == null ? null : rec.lastCheckedOk().plus(status.get().timeout());
        if (until != null && until.isAfter(wallClock.get())) {
            LOG.info("Client " + name + " expired here, but another server's checker succeeded at " + rec.lastCheckedOk()
                    + ": enabled again, as the shared store has it");
            applier.reapply(name);
            return;
        }
        requests.incrementAndGet();
        ClientRecord disabled = rec.with(new SharedChanges.Disable());
        long revision = state.commit(new SharedState.Cas(name, v.get().modRevision(), disabled));
        if (revision < 0) add(expired, name);
        else applier.offer(name, new SharedState.Versioned(disabled, revision));
    }
}
