package org.mandosjava.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.mandosjava.config.ClientConfig;

/**
 * The runtime state of one client that must survive a restart or crash: the security-relevant
 * bookkeeping (enabled, expiry, checker results, approval requests) and the settings that can be
 * changed at runtime over the control plane.
 *
 * @param name the client's name (its clients.conf section)
 * @param enabled whether the client may receive its secret
 * @param created when the client was first created by a server
 * @param lastEnabled when it was last enabled; null if never
 * @param expires when it will be disabled unless a checker succeeds; null when disabled
 * @param lastCheckedOk when a checker last succeeded; null if never
 * @param lastApprovalRequest when it last asked for approval; null if never
 * @param lastCheckerStatus exit status of the last checker; {@link #CHECKER_NEVER_RAN} or
 *     {@link #CHECKER_KILLED}
 * @param lastCheckerSignal the signal that killed the last checker, else null
 * @param approved an approval (true) or denial (false) in force, else null
 * @param approvedUntil when that decision lapses ({@code approval_duration} after it was given)
 * @param runtimeSecret a secret set at runtime that differs from clients.conf's; null when the
 *     configured secret applies. Never shown by {@link #toString()}
 * @param keyExpires a key expiry date set at runtime (an extension) that differs from clients.conf's
 *     {@code key_expires}; null when the configured one applies
 */
public record ClientSnapshot(
        String name,
        boolean enabled,
        Instant created,
        Instant lastEnabled,
        Instant expires,
        Instant lastCheckedOk,
        Instant lastApprovalRequest,
        int lastCheckerStatus,
        Integer lastCheckerSignal,
        Duration timeout,
        Duration extendedTimeout,
        Duration interval,
        Duration approvalDelay,
        Duration approvalDuration,
        boolean approvedByDefault,
        String checker,
        String host,
        byte[] runtimeSecret,
        Boolean approved,
        Instant approvedUntil,
        Instant keyExpires) {

    /** {@code last_checker_status} of a client whose checker never ran (spec §2.3). */
    public static final int CHECKER_NEVER_RAN = -2;
    /** {@code last_checker_status} of a checker killed by a signal (spec §4). */
    public static final int CHECKER_KILLED = -1;

    public ClientSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(extendedTimeout, "extendedTimeout");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(approvalDelay, "approvalDelay");
        Objects.requireNonNull(approvalDuration, "approvalDuration");
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(host, "host");
        runtimeSecret = runtimeSecret == null ? null : runtimeSecret.clone();
        if ((approved == null) != (approvedUntil == null)) {
            throw new IllegalArgumentException("an approval decision needs its end, and only it");
        }
    }

    /** With the configured key expiry. */
    public ClientSnapshot(String name, boolean enabled, Instant created, Instant lastEnabled, Instant expires,
            Instant lastCheckedOk, Instant lastApprovalRequest, int lastCheckerStatus, Integer lastCheckerSignal,
            Duration timeout, Duration extendedTimeout, Duration interval, Duration approvalDelay,
            Duration approvalDuration, boolean approvedByDefault, String checker, String host, byte[] runtimeSecret,
            Boolean approved, Instant approvedUntil) {
        this(name, enabled, created, lastEnabled, expires, lastCheckedOk, lastApprovalRequest, lastCheckerStatus,
                lastCheckerSignal, timeout, extendedTimeout, interval, approvalDelay, approvalDuration,
                approvedByDefault, checker, host, runtimeSecret, approved, approvedUntil, null);
    }

    /** Without a pending approval decision. */
    public ClientSnapshot(String name, boolean enabled, Instant created, Instant lastEnabled, Instant expires,
            Instant lastCheckedOk, Instant lastApprovalRequest, int lastCheckerStatus, Integer lastCheckerSignal,
            Duration timeout, Duration extendedTimeout, Duration interval, Duration approvalDelay,
            Duration approvalDuration, boolean approvedByDefault, String checker, String host, byte[] runtimeSecret) {
        this(name, enabled, created, lastEnabled, expires, lastCheckedOk, lastApprovalRequest, lastCheckerStatus,
                lastCheckerSignal, timeout, extendedTimeout, interval, approvalDelay, approvalDuration,
                approvedByDefault, checker, host, runtimeSecret, null, null);
    }

    /**
     * The state of a client that starts from its clients.conf section: nothing checked yet, enabled
     * as configured ({@code lastEnabled = now} then). {@code expires} is left null: the server core
     * schedules the first checker and the expiry as it does for any client at startup (spec §4).
     */
    public static ClientSnapshot fresh(ClientConfig config, Instant now) {
        return new ClientSnapshot(config.name(), config.enabled(), now, config.enabled() ? now : null,
                null, null, null, CHECKER_NEVER_RAN, null, config.timeout(), config.extendedTimeout(),
                config.interval(), config.approvalDelay(), config.approvalDuration(),
                config.approvedByDefault(), config.checker(), config.host(), null);
    }

    @Override
    public byte[] runtimeSecret() {
        return runtimeSecret == null ? null : runtimeSecret.clone();
    }

    /** True when a runtime secret is set. */
    public boolean hasRuntimeSecret() {
        return runtimeSecret != null;
    }

    public ClientSnapshot withEnabled(boolean newEnabled, Instant newLastEnabled, Instant newExpires) {
        return new ClientSnapshot(name, newEnabled, created, newLastEnabled, newExpires, lastCheckedOk,
                lastApprovalRequest, lastCheckerStatus, lastCheckerSignal, timeout, extendedTimeout,
                interval, approvalDelay, approvalDuration, approvedByDefault, checker, host, runtimeSecret,
                approved, approvedUntil, keyExpires);
    }

    public ClientSnapshot withExpires(Instant newExpires) {
        return withEnabled(enabled, lastEnabled, newExpires);
    }

    public ClientSnapshot withRuntimeSecret(byte[] secret) {
        return new ClientSnapshot(name, enabled, created, lastEnabled, expires, lastCheckedOk,
                lastApprovalRequest, lastCheckerStatus, lastCheckerSignal, timeout, extendedTimeout,
                interval, approvalDelay, approvalDuration, approvedByDefault, checker, host, secret,
                approved, approvedUntil, keyExpires);
    }

    /** Compares {@code runtimeSecret} by content (a record would compare the array's identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSnapshot s
                && name.equals(s.name) && enabled == s.enabled && created.equals(s.created)
                && Objects.equals(lastEnabled, s.lastEnabled) && Objects.equals(expires, s.expires)
                && Objects.equals(lastCheckedOk, s.lastCheckedOk)
                && Objects.equals(lastApprovalRequest, s.lastApprovalRequest)
                && lastCheckerStatus == s.lastCheckerStatus
                && Objects.equals(lastCheckerSignal, s.lastCheckerSignal)
                && timeout.equals(s.timeout) && extendedTimeout.equals(s.extendedTimeout)
                && interval.equals(s.interval) && approvalDelay.equals(s.approvalDelay)
                && approvalDuration.equals(s.approvalDuration) && approvedByDefault == s.approvedByDefault
                && checker.equals(s.checker) && host.equals(s.host)
                && Arrays.equals(runtimeSecret, s.runtimeSecret)
                && Objects.equals(approved, s.approved) && Objects.equals(approvedUntil, s.approvedUntil)
                && Objects.equals(keyExpires, s.keyExpires);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, enabled, created, lastEnabled, expires, lastCheckedOk, lastCheckerStatus,
                timeout, interval, checker, host);
    }

    /** Never prints the runtime secret, only whether there is one. */
    @Override
    public String toString() {
        return "ClientSnapshot[name=" + name + ", enabled=" + enabled + ", created=" + created
                + ", lastEnabled=" + lastEnabled + ", expires=" + expires + ", lastCheckedOk=" + lastCheckedOk
                + ", lastApprovalRequest=" + lastApprovalRequest + ", lastCheckerStatus=" + lastCheckerStatus
                + ", lastCheckerSignal=" + lastCheckerSignal + ", timeout=" + timeout
                + ", extendedTimeout=" + extendedTimeout + ", interval=" + interval
                + ", approvalDelay=" + approvalDelay + ", approvalDuration=" + approvalDuration
                + ", approvedByDefault=" + approvedByDefault + ", checker=" + checker + ", host=" + host
                + ", runtimeSecret=" + (runtimeSecret == null ? "none" : "<set>") + ", keyExpires=" + keyExpires + "]";
    }
}
