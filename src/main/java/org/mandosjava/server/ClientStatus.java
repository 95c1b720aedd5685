package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything observable about one client at one moment (what D-Bus calls its properties), as an
 * immutable snapshot. Instants are null when unset.
 *
 * @param lastCheckerStatus exit status of the last checker; -1 if killed by a signal, -2 if none ran
 * @param keyExpires when its OpenPGP key expires ({@code key_expires}, or as extended); null if never
 */
public record ClientStatus(
        String name,
        String keyId,
        String fingerprint,
        String host,
        String checker,
        Instant created,
        boolean enabled,
        Instant lastEnabled,
        Instant expires,
        Instant lastCheckedOk,
        int lastCheckerStatus,
        Integer lastCheckerSignal,
        Instant lastApprovalRequest,
        boolean approvalPending,
        boolean approvedByDefault,
        Duration approvalDelay,
        Duration approvalDuration,
        Duration timeout,
        Duration extendedTimeout,
        Duration interval,
        boolean checkerRunning,
        Instant keyExpires) {}
