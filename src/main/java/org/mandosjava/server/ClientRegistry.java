package org.mandosjava.server;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.SavedState;

/**
 * The clients and every decision about them: who gets a secret, when a checker runs, when a client is
 * disabled (spec §4, §5.7). This is the one place client state changes; helpers it owns do the
 * detailed work: {@link Approvals} (the wait for an approval decision and its lapse),
 * {@link ClientTimers} (checker schedule and expiry), {@link CheckerSupervisor} (checker processes
 * and their outcome), {@link KeyExpiryPolicy} (key expiry), {@link ClientMembership} (clients added,
 * removed and reconfigured) and {@link ClientDirectory} (the clients by name and key_id).
 *
 * <p>One lock guards every client, and a change is saved and published when it is released: see
 * {@link ClientLock} for the lock discipline.
 */
public final class ClientRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClientRegistry.class.getName());

    private final Scheduler scheduler;
    private final ClientLock lock;
    /** Where events wait for the lock's release (the lock's queue). */
    private final EventQueue events;
    private final Approvals approvals;
    private final ClientTimers timers;
    private final CheckerSupervisor checkers;
    private final KeyExpiryPolicy keyExpiry;

    private final ClientDirectory clients = new ClientDirectory();
    private final ClientMembership membership;
    private boolean started;
    /** Closed at shutdown: from then on no timer is armed and no checker started. */
    private boolean closed;
    /** The cluster a caller's change goes through first, or null for a single server. */
    private volatile SharedChanges shared;

    public ClientRegistry(List<ClientConfig> configs, Scheduler scheduler, CheckerRunner checkers) {
        this(configs, Map.of(), scheduler, checkers);
    }

    /**
     * @param restored runtime state a previous run saved, by client name, already merged with
     *     {@code configs} (spec §8); clients without an entry start from their section
     */
    public ClientRegistry(List<ClientConfig> configs, Map<String, ClientSnapshot> restored, Scheduler scheduler,
            CheckerRunner checkers) {
        this.scheduler = scheduler;
        this.lock = new ClientLock(scheduler);
        this.events = lock.events();
        LockedRegistry helperView = new HelperView(lock, this);
        this.approvals = new Approvals(helperView, scheduler);
        this.timers = new ClientTimers(helperView, scheduler);
        this.checkers = new CheckerSupervisor(helperView, scheduler, checkers);
        this.keyExpiry = new KeyExpiryPolicy(helperView, scheduler);
        this.membership = new ClientMembership(lock, scheduler, clients, this::joined, this::leaving);
        membership.load(configs, restored);
    }

    /**
     * Where to start checker processes; set before {@link #start()}. A process start takes
     * milliseconds: a server gives it a thread of its own, so that thousands of checkers starting
     * do not hold up whoever happens to be delivering events.
     */
    public void setCheckerExecutor(Executor executor) {
        checkers.setExecutor(executor);
    }

    /**
     * How the control layer names a client's object, for {@code %(dbus_object_path)s} in checker
     * commands; set by the D-Bus service when it starts (without D-Bus the attribute does not exist,
     * as in the original). A function rather than the rule itself: a path depends on which other
     * clients hold which paths (collisions, escaping), which only the control layer knows, and this
     * layer does not depend on it. Called under the registry's lock: it must only look up.
     */
    public void setObjectPaths(Function<String, String> pathOfClient) {
        checkers.setObjectPaths(pathOfClient);
    }

    /** Where to make state durable; set before {@link #start()}. */
    public void setPersistence(Persistence persistence) {
        lock.setPersistence(persistence);
    }

    /** Makes callers' changes go through a cluster's shared store; set before {@link #start()}. */
    public void setSharedChanges(SharedChanges shared) {
        this.shared = shared;
    }

    /** The state worth keeping across a restart, for the state store. */
    public SavedState snapshot() {
        return membership.snapshot();
    }

    /** Runs {@code action} without the lock between the turns of a large snapshot or listing (tests). */
    void betweenTurns(Runnable action) {
        membership.betweenTurns(action);
    }

    /** The clients.conf secret of a configured client (for the state store's encryption), or null. */
    public byte[] configuredSecret(String name) {
        return membership.configuredSecret(name);
    }

    public void addListener(ServerEventListener listener) {
        events.addListener(listener);
    }

    /**
     * Starts the timers: every enabled client's first checker runs after a random part of its
     * interval, so a server with thousands of clients does not start thousands of checkers at once.
     * Returns when every client's timers are armed.
     */
    public void start() {
        start(Runnable::run);
    }

    /**
     * Starts the timers as {@link #start()}, but arms the clients' checker and expiry timers by
     * {@code arming}, in turns with the lock free between them, and returns once the rest is done.
     * With 100,000 clients the arming takes half a second, and nothing a connection is told depends
     * on it: a start puts every expiry at least an interval ahead, and a client touched before its
     * turn is armed first ({@link ClientTimers#armPending}). What does decide, the lapse of a
     * restored approval, is armed before this returns.
     */
    public void start(Executor arming) {
        lock.locked(() -> {
            if (started) throw new IllegalStateException("already started");
            started = true;
            for (Client c : clients.all()) {
                c.timersPending = true;
                approvals.scheduleReset(c);
            }
            keyExpiry.start(clients::all);
        });
        arming.execute(() -> membership.forEachInTurns(timers::armPending, () -> closed));
    }

    /**
     * Stops every timer and checker (at shutdown). Changes still count afterwards, and are saved by the
     * final save, but arm no timer and start no checker: the next start arms them from the saved state.
     */
    @Override
    public void close() {
        lock.locked(() -> {
            closed = true;
            for (Client c : clients.all()) {
                timers.cancel(c);
                checkers.stop(c);
            }
            keyExpiry.stop();
            started = false;
        });
    }

    // ---------------------------------------------------------------- queries

    /** Every client's status, in clients.conf order; taken in turns, as {@link #snapshot()}. */
    public List<ClientStatus> statuses() {
        return Collections.unmodifiableList(membership.eachClient(() -> null, c -> c.status(scheduler)).views());
    }

    /** How many clients there are, and how many of them are disabled. */
    public record Counts(int clients, int disabled) {}

    /**
     * The clients counted, taken in turns as {@link #statuses()} is, without a status of each: the
     * status line shown to systemd is made every watchdog interval.
     */
    public Counts counts() {
        List<Boolean> enabled = membership.eachClient(() -> null, c -> c.enabled).views();
        int disabled = 0;
        for (Boolean e : enabled) if (!e) disabled++;
        return new Counts(enabled.size(), disabled);
    }

    public Optional<ClientStatus> status(String name) {
        return lock.read(() -> Optional.ofNullable(clients.named(name)).map(c -> c.status(scheduler)));
    }

    // ---------------------------------------------------------------- the protocol's question

    /**
     * Decides what a peer that proved possession of {@code keyId} gets, waiting for an approval
     * decision if the client needs one (spec §5.7). Unlike the original, the wait ends as soon as
     * {@code peerAlive} says the peer left, and a zero approval delay with approved_by_default false
     * refuses instead of sending (spec §15.3 item 2).
     */
    public Decision requestSecret(String keyId, String peer, BooleanSupplier peerAlive) throws InterruptedException {
        SharedChanges cluster = shared;
        String named = cluster == null ? null : lock.read(() -> {
            Client c = KeyId.EMPTY_KEY.equals(keyId) ? null : clients.withKeyId(keyId);
            return c == null ? null : c.name();
        });
        if (named != null && !cluster.beforeRelease(named)) {
            lock.locked(() -> queue(new ServerEvent.Rejected(named, peer, NO_SHARED_STATE)));
            return new Decision.Refuse(named, NO_SHARED_STATE);
        }
        Decision decision;
        lock.lock();
        try {
            Client c = KeyId.EMPTY_KEY.equals(keyId) ? null : clients.withKeyId(keyId);
            if (c == null) {
                queue(new ServerEvent.ClientNotFound(keyId, peer));
                return new Decision.Unknown(keyId);
            }
            if (keyExpiry.expired(c)) return keyExpiry.refuse(c, peer);
            decision = approvals.decide(c, peer, peerAlive);
        } finally {
            lock.unlockAndPublish();
        }
        if (decision instanceof Decision.Send send
                && !events.deliverNow(new ServerEvent.SecretReleasing(send.clientName(), keyId, peer))) {
            // A release that cannot be recorded does not happen.
            lock.locked(() -> queue(new ServerEvent.Rejected(send.clientName(), peer, NOT_RECORDED)));
            return new Decision.Refuse(send.clientName(), NOT_RECORDED);
        }
        return decision;
    }

    /** The refusal reason when a listener (the audit trail) could not record a release. */
    public static final String NOT_RECORDED = "Release not recorded";
    /** The refusal reason in a cluster's strict mode, when the shared store has been out of reach too long. */
    public static final String NO_SHARED_STATE = "Shared state out of reach";

    /** The secret was written: the client gets {@code extended_timeout} (spec §4). */
    public void secretSent(String name, String peer) {
        withClient(name, c -> {
            timers.bumpTimeout(c, c.extendedTimeout);
            queue(new ServerEvent.SecretSent(c.name(), peer));
        });
    }

    // ---------------------------------------------------------------- administration (D-Bus, tests)

    /** Enables a disabled client (spec §4 "enable()"); false if there is no such client. */
    public boolean enable(String name) {
        if (published(name, new SharedChanges.Enable())) return true;
        return withClient(name, c -> {
            if (c.enabled) return;
            c.enabled = true;
            c.lastEnabled = scheduler.now();
            c.touch();
            changed(c, "Enabled", "LastEnabled");
            queue(new ServerEvent.EnabledChanged(c.name(), true, null));
            if (started) timers.init(c, false);
            LOG.info("Client " + c.name() + " enabled");
        });
    }

    /** Disables a client; it gets nothing until enabled again. */
    public boolean disable(String name) {
        if (published(name, new SharedChanges.Disable())) return true;
        return withClient(name, c -> disable(c, "disabled by request"));
    }

    /** As if its checker had just succeeded (D-Bus CheckedOK, mandos-ctl --bump-timeout). */
    public boolean checkedOk(String name) {
        return withClient(name, this::checkedOk);
    }

    /** Approves (true) or denies (false) current requests and those within {@code approval_duration}. */
    public boolean approve(String name, boolean approved) {
        if (published(name, new SharedChanges.Approve(approved))) return true;
        return withClient(name, c -> approvals.approve(c, approved));
    }

    /** Starts a checker now; refused once the registry has closed. */
    public boolean startChecker(String name) {
        return withClient(name, c -> {
            if (closed) throw new ServerStoppingException("the server is stopping: no checker started for " + c.name());
            checkers.start(c);
        });
    }

    public boolean stopChecker(String name) {
        return withClient(name, checkers::stop);
    }

    /** Changes the timeout; a pending expiry moves by the difference (spec §4). */
    public boolean setTimeout(String name, Duration timeout) {
        if (published(name, SharedChanges.Setting.of("Timeout", timeout))) return true;
        return withClient(name, c -> {
            Duration old = c.timeout;
            c.timeout = timeout;
            changed(c, "Timeout");
            timers.timeoutChanged(c, old);
        });
    }

    /** Changes the interval; a running schedule restarts at once with the new one (spec §4). */
    public boolean setInterval(String name, Duration interval) {
        if (published(name, SharedChanges.Setting.of("Interval", interval))) return true;
        return withClient(name, c -> {
            timers.armPending(c); // with the interval the start would have armed it with
            c.interval = interval;
            changed(c, "Interval");
            timers.intervalChanged(c);
        });
    }

    public boolean setExtendedTimeout(String name, Duration value) {
        if (published(name, SharedChanges.Setting.of("ExtendedTimeout", value))) return true;
        return withClient(name, c -> { c.extendedTimeout = value; changed(c, "ExtendedTimeout"); });
    }

    public boolean setApprovalDelay(String name, Duration value) {
        if (published(name, SharedChanges.Setting.of("ApprovalDelay", value))) return true;
        return withClient(name, c -> { c.approvalDelay = value; changed(c, "ApprovalDelay"); });
    }

    public boolean setApprovalDuration(String name, Duration value) {
        if (published(name, SharedChanges.Setting.of("ApprovalDuration", value))) return true;
        return withClient(name, c -> { c.approvalDuration = value; changed(c, "ApprovalDuration"); });
    }

    public boolean setApprovedByDefault(String name, boolean value) {
        if (published(name, new SharedChanges.Setting("ApprovedByDefault", String.valueOf(value)))) return true;
        return withClient(name, c -> { c.approvedByDefault = value; changed(c, "ApprovedByDefault"); });
    }

    public boolean setHost(String name, String value) {
        if (published(name, new SharedChanges.Setting("Host", String.valueOf(value)))) return true;
        return withClient(name, c -> { c.host = value; changed(c, "Host"); });
    }

    /**
     * Changes the checker command.
     *
     * @throws IllegalArgumentException if it names an unknown attribute or misuses {@code %}
     */
    public boolean setChecker(String name, String command) {
        String problem = CheckerCommand.problem(command);
        if (problem != null) throw new IllegalArgumentException(problem);
        if (published(name, new SharedChanges.Setting("Checker", command))) return true;
        return withClient(name, c -> { c.checker = command; c.checkerProblem = null; changed(c, "Checker"); });
    }

    /**
     * Sets when the client's key expires (an extension, or a sooner date); refused from then on.
     *
     * @param expires a wall-clock date; it must be given: a key without expiry is clients.conf's to say
     */
    public boolean setKeyExpires(String name, java.time.Instant expires) {
        java.util.Objects.requireNonNull(expires, "expires");
        if (published(name, SharedChanges.Setting.of("KeyExpires", expires))) return true;
        return withClient(name, c -> {
            c.keyExpires = expires;
            changed(c, "KeyExpires");
            LOG.info("Client " + c.name() + ": key expiry set to " + expires);
            keyExpiry.dateChanged(c);
        });
    }

    /** Replaces the secret (raw bytes, sent verbatim). */
    public boolean setSecret(String name, byte[] secret) {
        if (published(name, new SharedChanges.Secret(secret.clone()))) return true;
        byte[] copy = secret.clone();
        return withClient(name, c -> { c.runtimeSecret = copy; changed(c, "Secret"); });
    }

    /** Removes a client: it is disabled, its checker killed, and it is forgotten. */
    public boolean remove(String name) {
        if (published(name, new SharedChanges.Remove())) return true;
        return membership.remove(name);
    }

    /**
     * Installs a new clients.conf (SIGHUP). Clients whose section is unchanged keep their runtime
     * state, timers and checkers; changed ones are replaced (fresh from their section); new ones are
     * added and removed ones removed.
     */
    public void reconfigure(List<ClientConfig> configs) {
        reconfigure(configs, Map.of());
    }

    /**
     * As {@link #reconfigure(List)}, with {@code restored} runtime state (spec §8 merge of the live
     * state with the new file) for the clients that are replaced, so that editing an unrelated line
     * of a disabled client's section does not re-enable it.
     */
    public void reconfigure(List<ClientConfig> configs, Map<String, ClientSnapshot> restored) {
        membership.reconfigure(configs, restored);
    }

    /** A new clients.conf merged with the live state: the clients to serve and the state they keep. */
    public record Reconfiguration(List<ClientConfig> configs, Map<String, ClientSnapshot> restored) {}

    /**
     * Installs a new clients.conf merged with the live state, atomically with respect to every other
     * change: {@code merge} runs on a snapshot without the lock (with many clients it takes a while,
     * and connections must not wait for it) and is installed only if nothing changed meanwhile;
     * otherwise it runs again, and after a few tries under the lock, so a busy server still reloads.
     */
    public void reconfigure(Function<SavedState, Reconfiguration> merge) {
        membership.reconfigure(merge);
    }

    /**
     * Adds a client at runtime.
     *
     * @throws IllegalArgumentException if the name or key_id is taken
     */
    public void add(ClientConfig config) {
        SharedChanges cluster = shared;
        if (cluster != null && Origin.current() != Origin.CLUSTER) {
            // Refused here as it would be when applied, before it is committed for every server.
            lock.lock();
            try {
                ClientMembership.checkFree(clients, config);
            } finally {
                lock.unlock();
            }
            cluster.publish(config.name(), new SharedChanges.Add(config));
            return;
        }
        membership.add(config);
    }

    /** A client added after the first ones: once the registry runs, its timers start. */
    private void joined(Client c) {
        if (started && c.enabled) timers.init(c, true);
        if (started) keyExpiry.review(c);
    }

    /** A client taken out: its timers, checker and approval waits stop. */
    private void leaving(Client c) {
        timers.cancel(c);
        checkers.stop(c);
        approvals.cancel(c);
    }

    // ---------------------------------------------------------------- decisions the helpers ask for

    /** As the original's checked_ok(): a bump also counts as a successful check (status 0). */
    void checkedOk(Client c) {
        c.lastCheckedOk = scheduler.now();
        c.lastCheckerStatus = 0;
        c.lastCheckerSignal = null;
        changed(c, "LastCheckedOK", "LastCheckerStatus");
        timers.bumpTimeout(c, c.timeout);
    }

    void disable(Client c, String reason) {
        if (!c.enabled) return;
        timers.cancel(c);
        checkers.stop(c);
        c.enabled = false;
        c.expiry = null;
        c.touch(); // approval waiters learn at once (the original leaves them waiting)
        changed(c, "Enabled", "Expires");
        queue(new ServerEvent.EnabledChanged(c.name(), false, reason));
        String name = c.name();
        lock.afterUnlock(() -> LOG.warning("Client " + name + " disabled: " + reason)); // after the write was asked for
    }

    /** A checker of {@code c} is due; a timer task that ran into the close finds the registry stopped. */
    void checkerDue(Client c) {
        if (!closed) checkers.start(c);
    }

    /** See {@link LockedRegistry#closed()}; called with the lock held. */
    boolean closed() {
        return closed;
    }

    /**
     * Another server's checker succeeded at {@code at} (a wall-clock time): the expiry moves to match
     * it, never back, so a client's expiry is the latest any server has seen.
     */
    public boolean checkedOkElsewhere(String name, java.time.Instant at) {
        return withClient(name, c -> {
            timers.armPending(c); // the expiry is read below
            if (c.lastCheckedOk != null && !at.isAfter(c.lastCheckedOk)) return;
            c.lastCheckedOk = at;
            changed(c, "LastCheckedOK");
            Duration left = Duration.between(scheduler.now(), at.plus(c.timeout));
            if (c.enabled && left.isPositive() && (c.expiry == null || c.expiry.remaining(scheduler).compareTo(left) < 0)) {
                timers.bumpTimeout(c, left);
            }
        });
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Hands a caller's change of an existing client to the cluster, which commits it and applies it
     * here itself; false for a single server, for a change coming from the cluster, or no such client.
     */
    private boolean published(String name, SharedChanges.Change change) {
        SharedChanges cluster = shared;
        if (cluster == null || Origin.current() == Origin.CLUSTER || status(name).isEmpty()) return false;
        cluster.publish(name, change);
        return true;
    }

    boolean withClient(String name, Consumer<Client> action) {
        lock.lock();
        try {
            Client c = clients.named(name);
            if (c == null) return false;
            action.accept(c);
            return true;
        } finally {
            lock.unlockAndPublish();
        }
    }

    private void changed(Client c, String... properties) {
        lock.changed(c, properties);
    }

    private void queue(ServerEvent event) {
        lock.queue(event);
    }
}
