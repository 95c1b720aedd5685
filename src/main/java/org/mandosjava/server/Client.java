package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.state.ClientSnapshot;

/**
 * One client: its configuration and its runtime state (spec §3). All mutable fields are guarded by
 * the owning {@link ClientRegistry}'s lock; only the registry reads or writes them, and the outside
 * sees {@link #status()} snapshots.
 */
public final class Client {
    final ClientConfig config;
    /** Signalled on every change an approval waiter cares about: approval, enable, disable, removal. */
    final Condition changed;

    // Settings that can change at runtime (D-Bus), initialised from clients.conf.
    String host;
    String checker;
    /**
     * A secret set at runtime (D-Bus, or restored state), or null while the clients.conf one is in
     * force: that one is not copied here, so 100,000 clients hold one copy of their secrets, not two.
     */
    byte[] runtimeSecret;
    Duration timeout;
    Duration extendedTimeout;
    Duration interval;
    Duration approvalDelay;
    Duration approvalDuration;
    boolean approvedByDefault;
    /** When its OpenPGP key expires (a wall-clock date); null if never. Extensible at runtime. */
    Instant keyExpires;
    Duration keyExpiryWarning;

    // Runtime state.
    Instant created;
    boolean enabled;
    Instant lastEnabled;
    /** When it is disabled unless a checker succeeds; null while disabled. Shown as the wall time. */
    Deadline expiry;
    Instant lastCheckedOk;
    int lastCheckerStatus = -2;
    Integer lastCheckerSignal;
    Instant lastApprovalRequest;
    Boolean approved;
    /** When {@link #approved} lapses back to "no decision". */
    Deadline approvalEnd;
    int approvalsPending;
    boolean removed;
    /** Bumped on every change {@link #changed} is signalled for, so waiters can tell wake-ups apart. */
    long version;

    // Timers and the running checker.
    Scheduler.Cancellable disableTimer;
    Scheduler.Cancellable checkerTimer;
    /**
     * Its timers are still to be armed by the server's start, which arms clients in turns while
     * connections are already served; whatever touches its timers first arms them (ClientTimers).
     */
    boolean timersPending;
    Scheduler.Cancellable approvalReset;
    CheckerRun runningChecker;
    /** When the next key expiry warning may be logged; null: at the next review. */
    Deadline nextKeyWarning;
    /** Whether the key's expiry has been logged (once, until the date changes). */
    boolean keyExpiryLogged;
    /** The last reason a checker could not run, to log each new reason once, not every interval. */
    String checkerProblem;

    Client(ClientConfig config, Condition changed, Instant now) {
        this.config = config;
        this.changed = changed;
        this.host = config.host();
        this.checker = config.checker();
        this.timeout = config.timeout();
        this.extendedTimeout = config.extendedTimeout();
        this.interval = config.interval();
        this.approvalDelay = config.approvalDelay();
        this.approvalDuration = config.approvalDuration();
        this.approvedByDefault = config.approvedByDefault();
        this.keyExpires = config.keyExpires().orElse(null);
        this.keyExpiryWarning = config.keyExpiryWarning();
        this.created = now;
        this.enabled = config.enabled();
        this.lastEnabled = enabled ? now : null;
    }

    public String name() {
        return config.name();
    }

    public String keyId() {
        return config.keyId();
    }

    /** Wakes approval waiters: something they decide on changed. Under the registry's lock. */
    void touch() {
        version++;
        changed.signalAll();
    }

    ClientStatus status(Scheduler clock) {
        return new ClientStatus(name(), keyId(), config.fingerprint(), host, checker, created, enabled, lastEnabled,
                expires(clock), lastCheckedOk, lastCheckerStatus, lastCheckerSignal, lastApprovalRequest,
                approvalsPending > 0, approvedByDefault, approvalDelay, approvalDuration, timeout, extendedTimeout,
                interval, runningChecker != null, keyExpires);
    }

    /** The expiry as a person reads it, on the wall clock; null while disabled. */
    Instant expires(Scheduler clock) {
        return expiry == null ? null : expiry.wallTime(clock);
    }

    /**
     * Takes over the runtime state a previous run saved (spec §8); the configuration stays. Saved
     * wall-clock deadlines become monotonic ones with their remaining time, never more than the
     * longest the client can be given (its timeout, extended timeout, or two intervals after an
     * enable; its approval duration).
     */
    void restore(ClientSnapshot saved, Scheduler clock) {
        created = saved.created();
        enabled = saved.enabled();
        lastEnabled = saved.lastEnabled();
        lastCheckedOk = saved.lastCheckedOk();
        lastApprovalRequest = saved.lastApprovalRequest();
        lastCheckerStatus = saved.lastCheckerStatus();
        lastCheckerSignal = saved.lastCheckerSignal();
        timeout = saved.timeout();
        extendedTimeout = saved.extendedTimeout();
        interval = saved.interval();
        approvalDelay = saved.approvalDelay();
        approvalDuration = saved.approvalDuration();
        approvedByDefault = saved.approvedByDefault();
        checker = saved.checker();
        host = saved.host();
        if (saved.hasRuntimeSecret()) runtimeSecret = saved.runtimeSecret();
        if (saved.keyExpires() != null) keyExpires = saved.keyExpires();
        // Twice the interval by plus: multipliedBy goes through BigDecimal, slow to set up at start.
        Duration longest = max(max(timeout, extendedTimeout), interval.plus(interval));
        expiry = saved.expires() == null ? null : Deadline.fromWallTime(clock, saved.expires(), longest);
        approved = saved.approved();
        approvalEnd = approved == null || saved.approvedUntil() == null ? null
                : Deadline.fromWallTime(clock, saved.approvedUntil(), approvalDuration);
        if (approved != null && approvalEnd == null) approvalEnd = Deadline.after(clock, approvalDuration);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** A copy of the secret to send. */
    byte[] secretToSend() {
        return runtimeSecret != null ? runtimeSecret.clone() : config.secret();
    }

    /**
     * What is worth keeping across a restart; the secret and the key expiry only if they differ from
     * clients.conf's.
     */
    ClientSnapshot snapshot(Scheduler clock) {
        byte[] differing = runtimeSecret == null || config.hasSecret(runtimeSecret) ? null : runtimeSecret.clone();
        Instant extended = keyExpires == null || keyExpires.equals(config.keyExpires().orElse(null)) ? null : keyExpires;
        return new ClientSnapshot(name(), enabled, created, lastEnabled, expires(clock), lastCheckedOk, lastApprovalRequest,
                lastCheckerStatus, lastCheckerSignal, timeout, extendedTimeout, interval, approvalDelay,
                approvalDuration, approvedByDefault, checker, host, differing, approved,
                approved == null ? null : approvalEnd.wallTime(clock), extended);
    }

    /**
     * The attributes a checker command may name, formatted as the original formats them (spec §4).
     * {@code objectPath} is the client's D-Bus object path; null without D-Bus, where the original
     * has no such attribute either.
     */
    Map<String, String> checkerAttributes(Scheduler clock, String objectPath) {
        Map<String, String> a = new HashMap<>();
        a.put("approval_delay", CheckerCommand.str(approvalDelay));
        a.put("approval_duration", CheckerCommand.str(approvalDuration));
        a.put("created", CheckerCommand.str(created));
        a.put("enabled", CheckerCommand.str(enabled));
        a.put("expires", CheckerCommand.str(expires(clock)));
        a.put("key_id", keyId());
        a.put("fingerprint", config.fingerprint());
        a.put("host", host);
        a.put("interval", CheckerCommand.str(interval));
        a.put("last_approval_request", CheckerCommand.str(lastApprovalRequest));
        a.put("last_checked_ok", CheckerCommand.str(lastCheckedOk));
        a.put("last_enabled", CheckerCommand.str(lastEnabled));
        a.put("name", name());
        a.put("timeout", CheckerCommand.str(timeout));
        if (objectPath != null) a.put("dbus_object_path", objectPath);
        return a;
    }

    @Override
    public String toString() {
        return "Client[" + name() + "]";
    }
}
