package org.mandosjava.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.SharedChangeException;
import org.mandosjava.server.SharedChanges;

/**
 * This server as a member of a cluster: callers' changes are committed to the shared store, applied
 * from it and confirmed by the other members; the store's changes are followed ({@link WatchLoop})
 * and applied ({@link LocalApplier}); a heartbeat keeps the presence entry and proves the view
 * current; checker results are shared ({@link CheckerShare}). The README's "Cluster" section is the
 * contract this keeps.
 */
public final class ClusterNode implements SharedChanges, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
    /** How long a release waits for a client's record when the view is not proven current. */
    private static final Duration RELEASE_READ = Duration.ofMillis(500);
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();
    private static final int CAS_TRIES = 5;

    private final ClusterOptions options;
    private final SharedState state;
    private final ClientRegistry registry;
    private final LocalApplier applier;
    private final Members members;
    private final Freshness freshness = new Freshness();
    private final CheckerShare checkerShare;
    private final PendingRevocations pending = new PendingRevocations();
    private final WatchLoop watchLoop;
    private final ScheduledExecutorService ticks;

    private final Object progress = new Object();
    /** The revision the watch has delivered through (guarded by {@link #progress}). */
    private long streamRevision;
    /** The revision this server has applied every client change up to, and the one last reported. */
    private long appliedForReport;
    private long reported;
    private boolean reportDue;
    private boolean resyncNeeded = true;
    private volatile boolean closed;
    private boolean wasReachable = true;

    private ClusterNode(ClusterOptions options, SharedState state, ClientRegistry registry, Supplier<Instant> wallClock) {
        this.options = options;
        this.state = state;
        this.registry = registry;
        this.applier = new LocalApplier(registry, pending::holds);
        this.members = new Members(options.serverId(), options.strictAfter());
        this.checkerShare = new CheckerShare(state, registry, applier, wallClock);
        this.watchLoop = new WatchLoop(state, new Follower());
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("cluster-heartbeat-" + options.serverId()).unstarted(r));
    }

    /**
     * Joins the cluster: the store's records are applied (the store wins over the state file; when it
     * cannot be reached, the server starts from the state file and catches up once it can), callers'
     * changes go through the store from now on, and the threads that follow the store start. Call
     * before the registry starts and before connections are accepted.
     */
    public static ClusterNode join(ClusterOptions options, SharedState state, ClientRegistry registry,
            Supplier<Instant> wallClock) {
        ClusterNode node = new ClusterNode(options, state, registry, wallClock);
        if (node.resumeFrom() == null) {
            LOG.warning("Cluster: the shared store cannot be reached (" + node.freshness.lastProblem()
                    + "); serving from the state file until it can (fail-static)");
        } else {
            LOG.info("Cluster: joined as " + options.serverId() + " at revision " + node.streamRevision);
        }
        registry.setSharedChanges(node);
        registry.addListener(node.checkerShare);
        node.heartbeat();
        node.watchLoop.start(options.serverId());
        long beat = options.heartbeat().toMillis();
        node.ticks.scheduleWithFixedDelay(node::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long flush = options.checkerFlush().toMillis();
        node.ticks.scheduleWithFixedDelay(node::flushCheckers, flush, flush, TimeUnit.MILLISECONDS);
        return node;
    }

    // ---------------------------------------------------------------- callers' changes

    @Override
    public void publish(String name, Change change) {
        if (closed) throw new SharedChangeException("Not changed: the server is stopping");
        SharedState.Versioned base = applier.current(name);
        for (int attempt = 0; attempt < CAS_TRIES; attempt++) {
            ClientRecord before = base != null ? base.record() : change instanceof SharedChanges.Add ? ClientRecord.ABSENT
                    : ClientRecord.from(registry.status(name).orElseThrow(() -> new SharedChangeException("No client " + name)));
            ClientRecord next;
            try {
                next = before.with(change);
            } catch (IllegalArgumentException e) {
                throw new SharedChangeException("Not added: a client named " + name + " exists on another server");
            }
            long revision;
            try {
                revision = state.commit(new SharedState.Cas(name, base == null ? 0 : base.modRevision(), next));
                if (revision < 0) base = state.read(name).orElse(null);
                reached();
            } catch (SharedState.UnavailableException e) {
                failed(e);
                throw unreachable(name, change, e);
            }
            if (revision < 0) continue;
            applier.offer(name, new SharedState.Versioned(next, revision));
            confirm(name, revision);
            return;
        }
        throw new SharedChangeException("Not changed: client " + name + " was changed by others meanwhile, "
                + CAS_TRIES + " times; try again");
    }

    /**
     * The store cannot be reached: a change that only takes away is made here at once and committed
     * once the store is back; anything else is refused.
     */
    private SharedChangeException unreachable(String name, Change change, SharedState.UnavailableException e) {
        if (!PendingRevocations.revokes(change)) {
            return new SharedChangeException("Not changed: the shared store (etcd) cannot be reached (" + e.getMessage()
                    + "); a change that grants anything is made in the store first, so that every server applies it", e);
        }
        applier.applyHere(name, change);
        pending.add(name, change);
        LOG.warning("Cluster: client " + name + " changed on this server only; committed to the store once it answers");
        return new SharedChangeException("Applied on this server only: the shared store (etcd) cannot be reached ("
                + e.getMessage() + "); it is committed when etcd answers again, and the other servers apply it then"
                + " (they serve from their state files meanwhile)", e);
    }

    private void confirm(String name, long revision) {
        List<String> missing;
        try {
            missing = members.awaitConfirmed(revision, options.confirmTimeout(), this::readMembersOrNull);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SharedChangeException("Committed and applied here; interrupted while waiting for the other servers");
        }
        if (missing.isEmpty()) return;
        String who = String.join(", ", missing);
        LOG.warning("Cluster: the change of client " + name + " (revision " + revision + ") is not confirmed within "
                + options.confirmTimeout().toMillis() + " ms by: " + who);
        throw new SharedChangeException("Committed to the cluster and applied here, but not confirmed within "
                + options.confirmTimeout().toMillis() + " ms by: " + who + "; each applies it when it reaches the store"
                + " again, before it releases that client's secret");
    }

    private SharedState.Snapshot readMembersOrNull() {
        try {
            SharedState.Snapshot s = state.readMembers();
            reached();
            return s;
        } catch (SharedState.UnavailableException e) {
            failed(e);
            return null;
        }
    }

    // ---------------------------------------------------------------- releases

    @Override
    public boolean beforeRelease(String name) {
        long now = System.nanoTime();
        if (freshness.freshWithin(options.freshFor(), now)) return true;
        if (readRecord(name)) return true;
        if (!freshness.everReached() && !options.serveColdCache()) {
            LOG.warning("Cluster: refusing client " + name + ": this server started without reaching the shared store,"
                    + " and its state file may predate changes it never saw (--cluster-serve-cache serves from it anyway)");
            return false;
        }
        Duration strict = options.strictAfter();
        if (strict != null && freshness.unreachableFor(System.nanoTime()) > strict.toNanos()) {
            LOG.warning("Cluster: refusing client " + name + ": the shared store has been out of reach longer than "
                    + strict + " (strict mode)");
            return false;
        }
        return true; // fail-static: the state file's view, in which nothing disabled was re-enabled
    }

    /**
     * Reads {@code name}'s record and applies it if newer, waiting at most {@link #RELEASE_READ}: a
     * store that does not answer costs each handshake that long, not the whole etcd timeout (the read
     * goes on, and applies what it gets when it gets it).
     *
     * @return whether the record was read (the view of that client is current)
     */
    private boolean readRecord(String name) {
        CompletableFuture<Boolean> read = CompletableFuture.supplyAsync(() -> {
            try {
                Optional<SharedState.Versioned> v = state.read(name);
                reached();
                v.ifPresent(x -> applier.offer(name, x));
                return true;
            } catch (SharedState.UnavailableException e) {
                failed(e);
                return false;
            }
        }, READERS);
        try {
            return read.get(RELEASE_READ.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- following the store

    /** Brings the view up to date if it must be; the revision to watch from, or null when the store cannot be reached. */
    private Long resumeFrom() {
        synchronized (progress) {
            if (!resyncNeeded) return streamRevision + 1;
        }
        SharedState.Snapshot s;
        try {
            s = state.readAll();
            reached();
        } catch (SharedState.UnavailableException e) {
            failed(e);
            return null;
        }
        applier.offerAll(s.clients());
        members.update(s, System.nanoTime());
        synchronized (progress) {
            streamRevision = Math.max(streamRevision, s.revision());
            appliedForReport = Math.max(appliedForReport, s.revision());
            resyncNeeded = false;
        }
        report();
        synchronized (progress) {
            return streamRevision + 1;
        }
    }

    private void events(List<SharedState.Event> events) {
        boolean reportNow = false;
        long last = 0;
        long now = System.nanoTime();
        for (SharedState.Event e : events) {
            last = Math.max(last, e.revision());
            if (e instanceof SharedState.ClientChanged c) {
                SharedState.Versioned before = applier.current(c.client());
                if (applier.offer(c.client(), new SharedState.Versioned(c.record(), c.revision()))
                        && (before == null || !checkerOnly(before.record(), c.record()))) {
                    reportNow = true;
                }
                synchronized (progress) {
                    appliedForReport = Math.max(appliedForReport, c.revision());
                }
            } else {
                members.on(e, now);
            }
        }
        synchronized (progress) {
            streamRevision = Math.max(streamRevision, last);
            if (!reportNow) reportDue = appliedForReport > reported;
        }
        freshness.seenThrough(last);
        if (reportNow) report();
    }

    private static boolean checkerOnly(ClientRecord a, ClientRecord b) {
        return a.enabled() == b.enabled() && a.removed() == b.removed() && Arrays.equals(a.secret(), b.secret())
                && a.approvals() == b.approvals() && a.settings().equals(b.settings());
    }

    /** Tells the others which revision this server has applied (its confirmation), if that moved. */
    private void report() {
        long value;
        synchronized (progress) {
            if (appliedForReport <= reported) return;
            value = appliedForReport;
        }
        try {
            state.reportApplied(options.serverId(), value);
            reached();
            synchronized (progress) {
                reported = Math.max(reported, value);
                reportDue = appliedForReport > reported;
            }
        } catch (SharedState.UnavailableException e) {
            failed(e);
            synchronized (progress) {
                reportDue = true;
            }
        }
    }

    private void heartbeat() {
        long sent = System.nanoTime();
        try {
            long revision = state.heartbeat(options.serverId());
            freshness.heartbeatSent(revision, sent);
            synchronized (progress) {
                if (streamRevision >= revision) freshness.seenThrough(streamRevision);
            }
            reached();
            if (!pending.isEmpty()) pending.flush(state, applier, registry);
            boolean due;
            synchronized (progress) {
                due = reportDue;
            }
            if (due) report();
        } catch (SharedState.UnavailableException e) {
            failed(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cluster: heartbeat failed", e);
        }
    }

    private void flushCheckers() {
        try {
            if (checkerShare.flush()) reached();
        } catch (SharedState.UnavailableException e) {
            failed(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cluster: sharing checker results failed", e);
        }
    }

    private final class Follower implements WatchLoop.Target {
        @Override public Long resumeFrom() {
            return ClusterNode.this.resumeFrom();
        }

        @Override public void events(List<SharedState.Event> events) {
            ClusterNode.this.events(events);
        }

        @Override public void progress(long revision) {
            synchronized (progress) {
                streamRevision = Math.max(streamRevision, revision);
            }
            freshness.seenThrough(revision);
        }

        @Override public void resyncNeeded() {
            synchronized (progress) {
                resyncNeeded = true;
            }
        }

        @Override public boolean silentTooLong(long watchStartedAt) {
            long now = System.nanoTime();
            long stale = freshness.staleFor(now);
            long since = now - watchStartedAt;
            long silent = stale < 0 ? since : Math.min(stale, since);
            return silent > options.freshFor().toNanos() * 3;
        }
    }

    // ---------------------------------------------------------------- reachability and status

    private void reached() {
        freshness.reached();
        synchronized (this) {
            if (!wasReachable) LOG.warning("Cluster: the shared store is reachable again");
            wasReachable = true;
        }
    }

    private void failed(SharedState.UnavailableException e) {
        freshness.failed(System.nanoTime(), e.getMessage());
        synchronized (this) {
            if (wasReachable) {
                LOG.warning("Cluster: the shared store cannot be reached (" + e.getMessage() + "); serving enabled"
                        + " clients from the state file, refusing enables until it is back"
                        + (options.strictAfter() == null ? "" : "; no secret is released after " + options.strictAfter()));
            }
            wasReachable = false;
        }
    }

    /** What this server knows of the cluster now, for the log, D-Bus and metrics. */
    public ClusterStatus status() {
        long now = System.nanoTime();
        long applied;
        synchronized (progress) {
            applied = appliedForReport;
        }
        return new ClusterStatus(options.serverId(), freshness.reachable(),
                Duration.ofNanos(freshness.unreachableFor(now)), applied, members.all(), checkerShare.counters());
    }

    /** Leaves the cluster cleanly: the others stop waiting for this server. */
    @Override
    public void close() {
        closed = true;
        ticks.shutdownNow();
        watchLoop.close();
        try {
            checkerShare.flush();
            state.leave(options.serverId());
        } catch (SharedState.UnavailableException e) {
            LOG.warning("Cluster: could not leave cleanly (" + e.getMessage() + "); the others name this server "
                    + options.serverId() + " until it is back or forgotten");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cluster: leaving failed", e);
        }
        state.close();
    }
}
