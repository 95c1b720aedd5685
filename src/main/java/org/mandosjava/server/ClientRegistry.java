package org.mandosjava.server;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.SavedState;

/**
 * The clients and every decision about them: who gets a secret, when a checker runs, when a client is
 * disabled (spec §4, §5.7). This is the one place client state changes.
 *
 * <p>Lock discipline: one lock guards the state of every client. It is held only for in-memory
 * bookkeeping (no I/O, no process start, no listener call). Events are queued under the lock and
 * delivered in order after it is released, so listeners may block (a state store writing to disk)
 * without stalling decisions, and never see a half-made change.
 */
public final class ClientRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClientRegistry.class.getName());
    /** How often a connection waiting for approval checks that its peer is still there. */
    static final Duration PEER_CHECK_INTERVAL = Duration.ofMillis(500);

    private final ReentrantLock lock = new ReentrantLock();
    private final Scheduler scheduler;
    private final CheckerRunner checkers;
    private final EventQueue events = new EventQueue();

    private final Map<String, Client> byName = new LinkedHashMap<>();
    private final Map<String, Client> byKeyId = new HashMap<>();
    /** Every section of the clients.conf in force, also of clients removed at runtime (spec §8). */
    private final Map<String, ClientConfig> configInForce = new LinkedHashMap<>();
    private volatile Persistence persistence = Persistence.NONE;
    /** Where checker processes are started; by default the thread delivering events (tests). */
    private volatile Executor spawner = Runnable::run;
    private boolean started;
    /** Set under the lock by a change that must be durable before its caller returns. */
    private boolean durableSaveNeeded;
    private boolean saveNeeded;

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
        this.checkers = checkers;
        lock.lock();
        try {
            for (ClientConfig config : configs) {
                configInForce.put(config.name(), config);
                Client c = insert(config);
                ClientSnapshot saved = restored.get(config.name());
                if (saved != null) c.restore(saved);
            }
            if (byName.isEmpty()) LOG.warning("No clients defined");
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
        this.spawner = executor;
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
            Map<String, ClientSnapshot> clients = new LinkedHashMap<>();
            byName.forEach((name, c) -> clients.put(name, c.snapshot()));
            return new SavedState(config, clients, scheduler.now());
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
            for (Client c : byName.values()) {
                if (c.enabled) initTimers(c, true);
                scheduleApprovalReset(c);
            }
        } finally {
            unlockAndPublish();
        }
    }

    /** Stops every timer and checker (at shutdown). */
    @Override
    public void close() {
        lock.lock();
        try {
            for (Client c : byName.values()) {
                cancelTimers(c);
                stopChecker(c);
            }
            started = false;
        } finally {
            unlockAndPublish();
        }
    }

    // ---------------------------------------------------------------- queries

    public List<ClientStatus> statuses() {
        lock.lock();
        try {
            return byName.values().stream().map(Client::status).toList();
        } finally {
            lock.unlock();
        }
    }

    public Optional<ClientStatus> status(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(byName.get(name)).map(Client::status);
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
        lock.lock();
        try {
            Client c = KeyId.EMPTY_KEY.equals(keyId) ? null : byKeyId.get(keyId);
            if (c == null) {
                queue(new ServerEvent.ClientNotFound(keyId, peer));
                return new Decision.Unknown(keyId);
            }
            boolean counted = !c.approvalDelay.isZero();
            if (counted && c.approvalsPending++ == 0) changed(c, "ApprovalPending");
            try {
                return approvalLoop(c, peer, peerAlive);
            } finally {
                if (counted && --c.approvalsPending == 0) changed(c, "ApprovalPending");
            }
        } finally {
            unlockAndPublish();
        }
    }

    private Decision approvalLoop(Client c, String peer, BooleanSupplier peerAlive) throws InterruptedException {
        Duration remaining = c.approvalDelay;
        long announcedVersion = -1;
        while (true) {
            if (c.removed || !c.enabled) {
                LOG.info("Client " + c.name() + " is disabled");
                return refuse(c, peer, "Disabled");
            }
            if (Boolean.TRUE.equals(c.approved)) return send(c);
            if (Boolean.FALSE.equals(c.approved)) {
                LOG.warning("Client " + c.name() + " was not approved");
                return refuse(c, peer, "Denied");
            }
            if (remaining.isZero() || remaining.isNegative()) {
                if (c.approvedByDefault) return send(c);
                LOG.warning("Client " + c.name() + " timed out while waiting for approval");
                return refuse(c, peer, "Approval timed out");
            }
            if (announcedVersion != c.version) {
                announcedVersion = c.version;
                LOG.info("Client " + c.name() + " needs approval");
                c.lastApprovalRequest = scheduler.now();
                changed(c, "LastApprovalRequest");
                queue(new ServerEvent.NeedApproval(c.name(), c.approvalDelay, c.approvedByDefault));
                // Tell listeners now, not at the next wake-up; then look at the state afresh.
                unlockAndPublish();
                lock.lock();
                continue;
            }
            Instant waitStart = scheduler.now();
            Duration timeLeft = remaining;
            // The wake-up comes from the scheduler, so waits follow the injected clock in tests.
            Scheduler.Cancellable wake = scheduler.schedule(timeLeft, () -> wakeUp(c));
            try {
                long seen = c.version;
                c.changed.await(PEER_CHECK_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
                if (c.version == seen && !elapsed(waitStart, timeLeft)) {
                    // A slice ended with nothing new: see whether the peer is still there, unlocked.
                    unlockAndPublish();
                    boolean alive;
                    try {
                        alive = peerAlive.getAsBoolean();
                    } finally {
                        lock.lock();
                    }
                    if (!alive) {
                        LOG.info("Client " + c.name() + " went away while waiting for approval");
                        return new Decision.Abandoned(c.name());
                    }
                }
            } finally {
                wake.cancel();
            }
            remaining = remaining.minus(Duration.between(waitStart, scheduler.now()));
        }
    }

    private boolean elapsed(Instant since, Duration limit) {
        return Duration.between(since, scheduler.now()).compareTo(limit) >= 0;
    }

    private void wakeUp(Client c) {
        lock.lock();
        try {
            c.changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Decision send(Client c) {
        return new Decision.Send(c.name(), c.secretToSend());
    }

    private Decision refuse(Client c, String peer, String reason) {
        queue(new ServerEvent.Rejected(c.name(), peer, reason));
        return new Decision.Refuse(c.name(), reason);
    }

    /** The secret was written: the client gets {@code extended_timeout} (spec §4). */
    public void secretSent(String name, String peer) {
        withClient(name, c -> {
            bumpTimeout(c, c.extendedTimeout);
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
            touch(c);
            changed(c, "Enabled", "LastEnabled");
            if (started) initTimers(c, false);
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
        return withClient(name, c -> {
            c.approved = approved;
            c.approvedUntil = scheduler.now().plus(c.approvalDuration);
            touch(c);
            scheduleApprovalReset(c);
            durableSaveNeeded = true; // a denial lost in a crash could become a default approval
            LOG.info("Client " + c.name() + (approved ? " approved" : " denied"));
        });
    }

    /** The decision in force lapses at {@code approvedUntil}; a restored one keeps its end. */
    private void scheduleApprovalReset(Client c) {
        if (c.approvalReset != null) c.approvalReset.cancel();
        c.approvalReset = null;
        if (c.approved == null) return;
        String name = c.name();
        Instant until = c.approvedUntil;
        c.approvalReset = scheduler.schedule(Duration.between(scheduler.now(), until), () -> withClient(name, cc -> {
            if (until.equals(cc.approvedUntil)) {
                cc.approved = null;
                cc.approvedUntil = null;
                saveNeeded = true;
            }
        }));
    }

    public boolean startChecker(String name) {
        return withClient(name, this::startChecker);
    }

    public boolean stopChecker(String name) {
        return withClient(name, c -> stopChecker(c));
    }

    /** Changes the timeout; a pending expiry moves by the difference (spec §4). */
    public boolean setTimeout(String name, Duration timeout) {
        return withClient(name, c -> {
            Duration old = c.timeout;
            c.timeout = timeout;
            changed(c, "Timeout");
            if (c.enabled && c.expires != null) {
                c.expires = c.expires.plus(timeout.minus(old));
                changed(c, "Expires");
                if (!c.expires.isAfter(scheduler.now())) disable(c, "its new timeout has passed");
                else scheduleDisable(c);
            }
        });
    }

    /** Changes the interval; a running schedule restarts at once with the new one (spec §4). */
    public boolean setInterval(String name, Duration interval) {
        return withClient(name, c -> {
            c.interval = interval;
            changed(c, "Interval");
            if (c.enabled && c.checkerTimer != null) {
                c.checkerTimer.cancel();
                Duration period = checkerPeriod(c);
                c.checkerTimer = scheduler.scheduleAtFixedRate(period, period, () -> periodicCheck(name));
                startChecker(c);
            }
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

    /** Replaces the secret (raw bytes, sent verbatim). */
    public boolean setSecret(String name, byte[] secret) {
        byte[] copy = secret.clone();
        return withClient(name, c -> { c.runtimeSecret = copy; changed(c, "Secret"); });
    }

    /** Removes a client: it is disabled, its checker killed, and it is forgotten. */
    public boolean remove(String name) {
        return withClient(name, c -> {
            cancelTimers(c);
            stopChecker(c);
            c.enabled = false;
            c.removed = true;
            touch(c);
            byName.remove(name);
            byKeyId.remove(c.keyId(), c);
            queue(new ServerEvent.ClientRemoved(name));
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
            Set<String> wanted = new LinkedHashSet<>();
            for (ClientConfig config : configs) wanted.add(config.name());
            for (String name : new ArrayList<>(byName.keySet())) {
                Client c = byName.get(name);
                ClientConfig next = configs.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
                if (!wanted.contains(name) || !sameSection(c.config, next)) {
                    cancelTimers(c);
                    stopChecker(c);
                    c.removed = true;
                    touch(c);
                    byName.remove(name);
                    byKeyId.remove(c.keyId(), c);
                    queue(new ServerEvent.ClientRemoved(name));
                }
            }
            Map<String, Client> kept = new LinkedHashMap<>(byName);
            byName.clear();
            for (ClientConfig config : configs) {
                Client c = kept.get(config.name());
                if (c != null) {
                    byName.put(c.name(), c);
                } else {
                    c = insert(config);
                    ClientSnapshot saved = restored.get(config.name());
                    if (saved != null) c.restore(saved);
                    queue(new ServerEvent.ClientAdded(c.name()));
                    if (started && c.enabled) initTimers(c, true);
                }
            }
            configInForce.clear();
            for (ClientConfig config : configs) configInForce.put(config.name(), config);
            durableSaveNeeded = true;
            if (byName.isEmpty()) LOG.warning("No clients defined");
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
            if (byName.containsKey(config.name())) {
                throw new IllegalArgumentException("a client named " + config.name() + " exists already");
            }
            if (!config.keyId().isEmpty() && byKeyId.containsKey(config.keyId())) {
                throw new IllegalArgumentException("client " + byKeyId.get(config.keyId()).name()
                        + " has that key_id already");
            }
            Client c = insert(config);
            configInForce.put(config.name(), config);
            queue(new ServerEvent.ClientAdded(c.name()));
            durableSaveNeeded = true;
            if (started && c.enabled) initTimers(c, true);
        } finally {
            unlockAndPublish();
        }
    }

    private static boolean sameSection(ClientConfig a, ClientConfig b) {
        return b != null && a.options().equals(b.options()) && b.hasSecret(a.secret());
    }

    private Client insert(ClientConfig config) {
        Client c = new Client(config, lock.newCondition(), scheduler.now());
        byName.put(c.name(), c);
        String keyId = config.keyId();
        if (keyId.isEmpty()) {
            LOG.warning("Client " + c.name() + " has no key_id and can never be given its secret");
        } else {
            Client first = byKeyId.putIfAbsent(keyId, c);
            if (first != null) {
                // The original scans in file order and the first match wins; say so.
                LOG.warning("Clients " + first.name() + " and " + c.name() + " have the same key_id; "
                        + c.name() + " will never be given its secret");
            }
        }
        return c;
    }

    // ---------------------------------------------------------------- timers and checkers (lock held)

    /**
     * Arms a client's timers (spec §4). At startup the first checker runs after a random delay in
     * [0, interval], the expiry is at delay + interval, and when that first checker starts the expiry
     * becomes at least one interval away and checkers repeat every interval from then on. After an
     * enable, checkers run every interval from now and the expiry is two intervals away.
     */
    private void initTimers(Client c, boolean randomDelay) {
        cancelTimers(c);
        Duration interval = checkerPeriod(c);
        String name = c.name();
        Duration delay;
        if (randomDelay) {
            delay = Duration.ofMillis(ThreadLocalRandom.current().nextLong(interval.toMillis() + 1));
            c.checkerTimer = scheduler.schedule(delay, () -> firstCheck(name));
        } else {
            delay = interval;
            c.checkerTimer = scheduler.scheduleAtFixedRate(delay, interval, () -> periodicCheck(name));
        }
        c.expires = scheduler.now().plus(delay).plus(c.interval);
        changed(c, "Expires");
        scheduleDisable(c);
    }

    /** A zero interval would be a busy loop (it is one in the original); checkers run at most this often. */
    static final Duration MIN_CHECKER_PERIOD = Duration.ofMillis(100);

    private static Duration checkerPeriod(Client c) {
        return c.interval.compareTo(MIN_CHECKER_PERIOD) < 0 ? MIN_CHECKER_PERIOD : c.interval;
    }

    private void firstCheck(String name) {
        withClient(name, c -> {
            if (!c.enabled) return;
            Duration interval = checkerPeriod(c);
            c.checkerTimer = scheduler.scheduleAtFixedRate(interval, interval, () -> periodicCheck(name));
            Instant floor = scheduler.now().plus(c.interval);
            if (c.expires != null && c.expires.isBefore(floor)) {
                c.expires = floor;
                changed(c, "Expires");
                scheduleDisable(c);
            }
            startChecker(c);
        });
    }

    private void periodicCheck(String name) {
        withClient(name, c -> {
            if (c.enabled) startChecker(c);
        });
    }

    private void scheduleDisable(Client c) {
        if (c.disableTimer != null) c.disableTimer.cancel();
        String name = c.name();
        Duration delay = Duration.between(scheduler.now(), c.expires);
        c.disableTimer = scheduler.schedule(delay, () -> withClient(name, cc -> {
            if (cc.enabled && cc.expires != null && !cc.expires.isAfter(scheduler.now())) {
                disable(cc, "no successful check within its timeout");
            }
        }));
    }

    private void bumpTimeout(Client c, Duration by) {
        if (!c.enabled) return;
        c.expires = scheduler.now().plus(by);
        changed(c, "Expires");
        scheduleDisable(c);
    }

    /** As the original's checked_ok(): a bump also counts as a successful check (status 0). */
    private void checkedOk(Client c) {
        c.lastCheckedOk = scheduler.now();
        c.lastCheckerStatus = 0;
        c.lastCheckerSignal = null;
        changed(c, "LastCheckedOK", "LastCheckerStatus");
        bumpTimeout(c, c.timeout);
    }

    private void disable(Client c, String reason) {
        if (!c.enabled) return;
        cancelTimers(c);
        stopChecker(c);
        c.enabled = false;
        c.expires = null;
        touch(c); // approval waiters learn at once (the original leaves them waiting)
        changed(c, "Enabled", "Expires");
        String name = c.name();
        afterUnlock(() -> LOG.warning("Client " + name + " disabled: " + reason)); // once it is on disk
    }

    private void cancelTimers(Client c) {
        if (c.disableTimer != null) c.disableTimer.cancel();
        if (c.checkerTimer != null) c.checkerTimer.cancel();
        c.disableTimer = null;
        c.checkerTimer = null;
    }

    private void startChecker(Client c) {
        if (c.runningChecker != null) return; // still running: leave it, as the original does
        String command;
        try {
            command = CheckerCommand.expand(c.checker, c.checkerAttributes());
        } catch (IllegalArgumentException e) {
            checkerProblem(c, "Could not format checker command \"" + c.checker + "\": " + e.getMessage());
            return;
        }
        String name = c.name();
        CheckerRun run = new CheckerRun(command);
        c.runningChecker = run;
        changed(c, "CheckerRunning");
        queue(new ServerEvent.CheckerStarted(name, command));
        // Starting a process takes milliseconds: do it after the lock is released.
        Executor executor = spawner;
        afterUnlock(() -> {
            try {
                executor.execute(() -> spawn(name, run));
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                withClient(name, cc -> {
                    if (cc.runningChecker == run) cc.runningChecker = null;
                });
            }
        });
        // Beyond the original: a checker that hangs is killed once its interval has passed.
        Duration limit = checkerPeriod(c);
        scheduler.schedule(limit, () -> withClient(name, cc -> {
            if (cc.runningChecker == run) {
                LOG.warning("Checker for " + name + " ran longer than " + limit + "; killing it");
                stopChecker(cc);
            }
        }));
    }

    private void spawn(String name, CheckerRun run) {
        LOG.fine(() -> "Starting checker '" + run.command + "' for " + name);
        CheckerRunner.Running process;
        try {
            process = checkers.start(name, run.command, outcome -> checkerEnded(name, run, outcome));
        } catch (IOException e) {
            withClient(name, c -> {
                if (c.runningChecker == run) {
                    c.runningChecker = null;
                    changed(c, "CheckerRunning");
                }
                checkerProblem(c, "Cannot start checker for " + name + ": " + e.getMessage());
            });
            return;
        }
        boolean wanted = withClient(name, c -> run.attach(process)) ;
        if (!wanted) process.kill();
    }

    private void stopChecker(Client c) {
        if (c.runningChecker == null) return;
        CheckerRun run = c.runningChecker;
        c.runningChecker = null;
        changed(c, "CheckerRunning");
        afterUnlock(run::kill);
    }

    /**
     * One checker run, from the decision to start it (under the lock) to its end. The process is
     * attached once started; a kill that comes first is remembered and applied then.
     */
    static final class CheckerRun {
        final String command;
        private CheckerRunner.Running process;
        private boolean killRequested;

        CheckerRun(String command) {
            this.command = command;
        }

        synchronized void attach(CheckerRunner.Running started) {
            process = started;
            if (killRequested) started.kill();
        }

        synchronized void kill() {
            killRequested = true;
            if (process != null) process.kill();
        }
    }

    private void checkerEnded(String name, CheckerRun run, CheckerRunner.Outcome outcome) {
        String command = run.command;
        withClient(name, c -> {
            if (c.runningChecker != run) return; // stopped on purpose; its end is no news
            c.runningChecker = null;
            changed(c, "CheckerRunning");
            if (outcome.signal() != 0) {
                c.lastCheckerStatus = -1;
                c.lastCheckerSignal = outcome.signal();
                changed(c, "LastCheckerStatus");
                LOG.warning("Checker for " + name + " crashed? (killed by signal " + outcome.signal() + ")");
                queue(new ServerEvent.CheckerCompleted(name, -1, (-1L << 8) | outcome.signal(), command));
                return;
            }
            c.lastCheckerStatus = outcome.exitCode();
            c.lastCheckerSignal = null;
            changed(c, "LastCheckerStatus");
            queue(new ServerEvent.CheckerCompleted(name, outcome.exitCode(), (long) outcome.exitCode() << 8, command));
            if (outcome.succeeded()) {
                LOG.fine(() -> "Checker for " + name + " succeeded");
                c.checkerProblem = null;
                checkedOk(c);
            } else if (outcome.exitCode() == 126 || outcome.exitCode() == 127) {
                checkerProblem(c, "Checker for " + name + " could not run its command (exit status "
                        + outcome.exitCode() + ": " + (outcome.exitCode() == 127 ? "not found" : "not executable")
                        + "): " + command);
            } else {
                LOG.info("Checker for " + name + " failed (exit status " + outcome.exitCode() + ")");
            }
        });
    }

    /** Logs a checker problem once per change of problem, not at every interval. */
    private void checkerProblem(Client c, String problem) {
        if (problem.equals(c.checkerProblem)) return;
        c.checkerProblem = problem;
        LOG.warning(problem);
    }

    // ---------------------------------------------------------------- plumbing

    private boolean withClient(String name, java.util.function.Consumer<Client> action) {
        lock.lock();
        try {
            Client c = byName.get(name);
            if (c == null) return false;
            action.accept(c);
            return true;
        } finally {
            unlockAndPublish();
        }
    }

    /** Wakes approval waiters of {@code c}: something they decide on changed. */
    private void touch(Client c) {
        c.version++;
        c.changed.signalAll();
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
            "Interval", "ApprovalDelay", "ApprovalDuration", "ApprovedByDefault", "Checker", "Host");

    private void queue(ServerEvent event) {
        events.add(event);
    }

    /** Runs {@code action} once the lock is released (process starts and kills). */
    private void afterUnlock(Runnable action) {
        events.add(action);
    }

    /**
     * Ends a change: releases the lock, makes the change durable (at once if it matters for
     * security, else soon) and then tells listeners and runs queued actions. The flags are taken
     * under the lock, so the thread that made a change is the one that waits for it to be on disk.
     */
    private void unlockAndPublish() {
        boolean now = durableSaveNeeded;
        boolean soon = saveNeeded;
        durableSaveNeeded = false;
        saveNeeded = false;
        lock.unlock();
        if (lock.isHeldByCurrentThread()) {
            // A nested change inside another; the outermost one persists what is still flagged.
            durableSaveNeeded |= now;
            saveNeeded |= soon;
            return;
        }
        try {
            if (now) persistence.saveNow();
            else if (soon) persistence.saveSoon();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not save state", e);
        }
        deliver();
    }

    /** Delivers queued events and runs queued actions; called without the lock. */
    private void deliver() {
        if (lock.isHeldByCurrentThread()) return; // a nested call; the outermost one delivers
        events.deliver();
    }
}
