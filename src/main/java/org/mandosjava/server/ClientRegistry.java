package org.mandosjava.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
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
 * and their outcome) and {@link ClientDirectory} (the clients by name and key_id).
 *
 * <p>Lock discipline: one lock guards the state of every client, for the registry and its helpers
 * alike. Public methods and timer tasks take it; the helpers' methods are called with it held (see
 * {@link LockedRegistry}). It is held only for in-memory bookkeeping (no I/O, no process start, no
 * listener call). Events are queued under the lock and delivered in order after it is released, so
 * listeners may block (a state store writing to disk) without stalling decisions, and never see a
 * half-made change. An approval wait releases the lock while it sleeps.
 */
public final class ClientRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClientRegistry.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Scheduler scheduler;
    private final EventQueue events = new EventQueue();
    private final LockedRegistry helperView = new HelperView();
    private final Approvals approvals;
    private final ClientTimers timers;
    private final CheckerSupervisor checkers;
    private final KeyExpiryPolicy keyExpiry;

    private final ClientDirectory clients = new ClientDirectory();
    /** Every section of the clients.conf in force, also of clients removed at runtime (spec §8). */
    private final Map<String, ClientConfig> configInForce = new LinkedHashMap<>();
    private volatile Persistence persistence = Persistence.NONE;
    private boolean started;
    /** Set under the lock by a change that must be durable before its caller returns. */
    private boolean durableSaveNeeded;
    private boolean saveNeeded;
    /** Counts changes worth saving, so a merge made without the lock can tell it is stale. */
    private long generation;

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
        this.approvals = new Approvals(helperView, scheduler);
        this.timers = new ClientTimers(helperView, scheduler);
        this.checkers = new CheckerSupervisor(helperView, scheduler, checkers);
        this.keyExpiry = new KeyExpiryPolicy(helperView, scheduler);
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
        this.persistence = persistence;
    }

    /** The state worth keeping across a restart, for the state store. */
    public SavedState snapshot() {
        lock.lock();
        try {
            Map<String, Map<String, String>> config = new LinkedHashMap<>();
            configInForce.forEach((name, c) -> config.put(name, c.options()));
            Map<String, ClientSnapshot> saved = new LinkedHashMap<>();
            for (Client c : clients.all()) saved.put(c.name(), c.snapshot(scheduler));
            return new SavedState(config, saved, scheduler.now());
        } finally {
            lock.unlock();
        }
    }

    /** The clients.conf secret of a configured client (for the state store's encryption), or null. */
    public byte[] configuredSecret(String name) {
        lock.lock();
        try {
            ClientConfig c = configInForce.get(name);
            return c == null ? null : c.secret();
        } finally {
            lock.unlock();
        }
    }

    public void addListener(ServerEventListener listener) {
        events.addListener(listener);
    }

    /**
     * Starts the timers: every enabled client's first checker runs after a random part of its
     * interval, so a server with thousands of clients does not start thousands of checkers at once.
     */
    public void start() {
        lock.lock();
        try {
            if (started) throw new IllegalStateException("already started");
            started = true;
            for (Client c : clients.all()) {
                if (c.enabled) timers.init(c, true);
                approvals.scheduleReset(c);
            }
            keyExpiry.start(clients::all);
        } finally {
            unlockAndPublish();
        }
    }

    /** Stops every timer and checker (at shutdown). */
    @Override
    public void close() {
        lock.lock();
        try {
            for (Client c : clients.all()) {
                timers.cancel(c);
                checkers.stop(c);
            }
            keyExpiry.stop();
            started = false;
        } finally {
            unlockAndPublish();
        }
    }

    // ---------------------------------------------------------------- queries

    public List<ClientStatus> statuses() {
        lock.lock();
        try {
            return clients.all().stream().map(c -> c.status(scheduler)).toList();
        } finally {
            lock.unlock();
        }
    }

    public Optional<ClientStatus> status(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(clients.named(name)).map(c -> c.status(scheduler));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the protocol's question

    /**
     * Decides what a peer that proved possession of {@code keyId} gets, waiting for an approval
     * decision if the client needs one (spec §5.7). Unlike the original, the wait ends as soon as
     * {@code peerAlive} says the peer left, and a zero approval delay with approved_by_default false
     * refuses instead of sending (spec §15.3 item 2).
     */
    public Decision requestSecret(String keyId, String peer, BooleanSupplier peerAlive) throws InterruptedException {
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
            unlockAndPublish();
        }
        if (decision instanceof Decision.Send send
                && !events.deliverNow(new ServerEvent.SecretReleasing(send.clientName(), keyId, peer))) {
            // A release that cannot be recorded does not happen.
            lock.lock();
            try {
                queue(new ServerEvent.Rejected(send.clientName(), peer, NOT_RECORDED));
            } finally {
                unlockAndPublish();
            }
            return new Decision.Refuse(send.clientName(), NOT_RECORDED);
        }
        return decision;
    }

    /** The refusal reason when a listener (the audit trail) could not record a release. */
    public static final String NOT_RECORDED = "Release not recorded";

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
        return withClient(name, c -> disable(c, "disabled by request"));
    }

    /** As if its checker had just succeeded (D-Bus CheckedOK, mandos-ctl --bump-timeout). */
    public boolean checkedOk(String name) {
        return withClient(name, this::checkedOk);
    }

    /** Approves (true) or denies (false) current requests and those within {@code approval_duration}. */
    public boolean approve(String name, boolean approved) {
        return withClient(name, c -> approvals.approve(c, approved));
    }

    public boolean startChecker(String name) {
        return withClient(name, checkers::start);
    }

    public boolean stopChecker(String name) {
        return withClient(name, checkers::stop);
    }

    /** Changes the timeout; a pending expiry moves by the difference (spec §4). */
    public boolean setTimeout(String name, Duration timeout) {
        return withClient(name, c -> {
            Duration old = c.timeout;
            c.timeout = timeout;
            changed(c, "Timeout");
            timers.timeoutChanged(c, old);
        });
    }

    /** Changes the interval; a running schedule restarts at once with the new one (spec §4). */
    public boolean setInterval(String name, Duration interval) {
        return withClient(name, c -> {
            c.interval = interval;
            changed(c, "Interval");
            timers.intervalChanged(c);
        });
    }

    public boolean setExtendedTimeout(String name, Duration value) {
        return withClient(name, c -> { c.extendedTimeout = value; changed(c, "ExtendedTimeout"); });
    }

    public boolean setApprovalDelay(String name, Duration value) {
        return withClient(name, c -> { c.approvalDelay = value; changed(c, "ApprovalDelay"); });
    }

    public boolean setApprovalDuration(String name, Duration value) {
        return withClient(name, c -> { c.approvalDuration = value; changed(c, "ApprovalDuration"); });
    }

    public boolean setApprovedByDefault(String name, boolean value) {
        return withClient(name, c -> { c.approvedByDefault = value; changed(c, "ApprovedByDefault"); });
    }

    public boolean setHost(String name, String value) {
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
        return withClient(name, c -> { c.checker = command; c.checkerProblem = null; changed(c, "Checker"); });
    }

    /**
     * Sets when the client's key expires (an extension, or a sooner date); refused from then on.
     *
     * @param expires a wall-clock date; it must be given: a key without expiry is clients.conf's to say
     */
    public boolean setKeyExpires(String name, java.time.Instant expires) {
        java.util.Objects.requireNonNull(expires, "expires");
        return withClient(name, c -> {
            c.keyExpires = expires;
            changed(c, "KeyExpires");
            LOG.info("Client " + c.name() + ": key expiry set to " + expires);
            keyExpiry.dateChanged(c);
        });
    }

    /** Replaces the secret (raw bytes, sent verbatim). */
    public boolean setSecret(String name, byte[] secret) {
        byte[] copy = secret.clone();
        return withClient(name, c -> { c.runtimeSecret = copy; changed(c, "Secret"); });
    }

    /** Removes a client: it is disabled, its checker killed, and it is forgotten. */
    public boolean remove(String name) {
        return withClient(name, c -> {
            forget(c);
            durableSaveNeeded = true;
            LOG.info("Removed client " + name);
        });
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
                    queue(new ServerEvent.ClientAdded(c.name()));
                    if (started && c.enabled) timers.init(c, true);
                    if (started) keyExpiry.review(c);
                }
            }
            clients.reorder(List.copyOf(next.keySet()));
            configInForce.clear();
            configInForce.putAll(next);
            durableSaveNeeded = true;
            if (clients.isEmpty()) LOG.warning("No clients defined");
        } finally {
            unlockAndPublish();
        }
    }

    /** A new clients.conf merged with the live state: the clients to serve and the state they keep. */
    public record Reconfiguration(List<ClientConfig> configs, Map<String, ClientSnapshot> restored) {}

    /** Tries at merging a reload without the lock before it is merged under the lock. */
    private static final int UNLOCKED_MERGES = 3;

    /**
     * Installs a new clients.conf merged with the live state, atomically with respect to every other
     * change: {@code merge} runs on a snapshot without the lock (with many clients it takes a while,
     * and connections must not wait for it) and is installed only if nothing changed meanwhile;
     * otherwise it runs again, and after a few tries under the lock, so a busy server still reloads.
     */
    public void reconfigure(Function<SavedState, Reconfiguration> merge) {
        for (int attempt = 0; attempt < UNLOCKED_MERGES; attempt++) {
            long seen;
            SavedState live;
            lock.lock();
            try {
                seen = generation;
                live = snapshot();
            } finally {
                lock.unlock();
            }
            Reconfiguration plan = merge.apply(live);
            lock.lock();
            try {
                if (generation == seen) {
                    reconfigure(plan.configs(), plan.restored());
                    return;
                }
            } finally {
                unlockAndPublish();
            }
        }
        lock.lock();
        try {
            Reconfiguration plan = merge.apply(snapshot());
            reconfigure(plan.configs(), plan.restored());
        } finally {
            unlockAndPublish();
        }
    }

    /**
     * Adds a client at runtime.
     *
     * @throws IllegalArgumentException if the name or key_id is taken
     */
    public void add(ClientConfig config) {
        lock.lock();
        try {
            if (clients.named(config.name()) != null) {
                throw new IllegalArgumentException("a client named " + config.name() + " exists already");
            }
            Client holder = config.keyId().isEmpty() ? null : clients.withKeyId(config.keyId());
            if (holder != null) {
                throw new IllegalArgumentException("client " + holder.name()
                        + " has that key_id already");
            }
            Client c = insert(config);
            configInForce.put(config.name(), config);
            queue(new ServerEvent.ClientAdded(c.name()));
            durableSaveNeeded = true;
            if (started && c.enabled) timers.init(c, true);
            if (started) keyExpiry.review(c);
        } finally {
            unlockAndPublish();
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
        timers.cancel(c);
        checkers.stop(c);
        approvals.cancel(c);
        c.enabled = false;
        c.removed = true;
        c.touch();
        clients.remove(c);
        queue(new ServerEvent.ClientRemoved(c.name()));
    }

    // ---------------------------------------------------------------- decisions the helpers ask for

    /** As the original's checked_ok(): a bump also counts as a successful check (status 0). */
    private void checkedOk(Client c) {
        c.lastCheckedOk = scheduler.now();
        c.lastCheckerStatus = 0;
        c.lastCheckerSignal = null;
        changed(c, "LastCheckedOK", "LastCheckerStatus");
        timers.bumpTimeout(c, c.timeout);
    }

    private void disable(Client c, String reason) {
        if (!c.enabled) return;
        timers.cancel(c);
        checkers.stop(c);
        c.enabled = false;
        c.expiry = null;
        c.touch(); // approval waiters learn at once (the original leaves them waiting)
        changed(c, "Enabled", "Expires");
        queue(new ServerEvent.EnabledChanged(c.name(), false, reason));
        String name = c.name();
        afterUnlock(() -> LOG.warning("Client " + name + " disabled: " + reason)); // after the write was asked for
    }

    // ---------------------------------------------------------------- plumbing

    private boolean withClient(String name, Consumer<Client> action) {
        lock.lock();
        try {
            Client c = clients.named(name);
            if (c == null) return false;
            action.accept(c);
            return true;
        } finally {
            unlockAndPublish();
        }
    }

    private void changed(Client c, String... properties) {
        queue(new ServerEvent.PropertiesChanged(c.name(), Set.of(properties)));
        for (String p : properties) {
            if (DURABLE_AT_ONCE.contains(p)) durableSaveNeeded = true;
        }
        saveNeeded = true;
    }

    /** Changes that must be on disk before the call that made them returns (the rest may lag a little). */
    private static final Set<String> DURABLE_AT_ONCE = Set.of("Enabled", "Secret", "Timeout", "ExtendedTimeout",
            "Interval", "ApprovalDelay", "ApprovalDuration", "ApprovedByDefault", "Checker", "Host", "KeyExpires");

    private void queue(ServerEvent event) {
        events.add(event);
    }

    /** Runs {@code action} once the lock is released (process starts and kills). */
    private void afterUnlock(Runnable action) {
        events.add(action);
    }

    /**
     * Ends a change: releases the lock, has the change written (a security change made by a caller
     * waits for its write and learns when it failed; on the timer thread, which must not wait for
     * the disk, it is only handed to the saver, to write at once) and then tells listeners and runs
     * queued actions. The flags are taken under the lock, so the thread that made a change is the
     * one that waits.
     *
     * @throws StateNotDurableException the change is in effect but not on disk
     */
    private void unlockAndPublish() {
        boolean now = durableSaveNeeded;
        boolean soon = saveNeeded;
        durableSaveNeeded = false;
        saveNeeded = false;
        if (now || soon) generation++;
        lock.unlock();
        if (lock.isHeldByCurrentThread()) {
            // A nested change inside another; the outermost one persists what is still flagged.
            durableSaveNeeded |= now;
            saveNeeded |= soon;
            return;
        }
        try {
            if (now && scheduler.isTimerThread()) persistence.markUrgent();
            else if (now) persistence.awaitDurable();
            else if (soon) persistence.markDirty();
        } finally {
            deliver();
        }
    }

    /** Delivers queued events and runs queued actions; called without the lock. */
    private void deliver() {
        if (lock.isHeldByCurrentThread()) return; // a nested call; the outermost one delivers
        events.deliver();
    }

    /** What the helpers may do; every call but withClient and locked comes with the lock held. */
    private final class HelperView implements LockedRegistry {
        @Override public boolean withClient(String name, Consumer<Client> action) {
            return ClientRegistry.this.withClient(name, action);
        }

        @Override public void locked(Runnable action) {
            lock.lock();
            try {
                action.run();
            } finally {
                unlockAndPublish();
            }
        }

        @Override public boolean whileUnlocked(BooleanSupplier question) {
            unlockAndPublish();
            try {
                return question.getAsBoolean();
            } finally {
                lock.lock();
            }
        }

        @Override public void changed(Client c, String... properties) {
            ClientRegistry.this.changed(c, properties);
        }

        @Override public void saveNeeded(boolean durable) {
            if (durable) durableSaveNeeded = true;
            else saveNeeded = true;
        }

        @Override public void queue(ServerEvent event) {
            ClientRegistry.this.queue(event);
        }

        @Override public void afterUnlock(Runnable action) {
            ClientRegistry.this.afterUnlock(action);
        }

        @Override public void disable(Client c, String reason) {
            ClientRegistry.this.disable(c, reason);
        }

        @Override public void checkerDue(Client c) {
            checkers.start(c);
        }

        @Override public void checkedOk(Client c) {
            ClientRegistry.this.checkedOk(c);
        }
    }
}
