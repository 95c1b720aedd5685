package org.mandosjava.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.Origin;

/**
 * Applies the store's client records to the local registry, each record once and never an older
 * one over a newer: the store's order is the one order of changes. Keeps the record last applied per
 * client, which is also the base of this server's next compare-and-swap for that client. Records
 * are applied with {@link Origin#CLUSTER}, so the registry does not publish them again; each
 * applied change is on disk (the registry waits for its save) before this returns, so a server
 * that reports a revision applied keeps it across a crash.
 */
final class LocalApplier {
    private static final Logger LOG = Logger.getLogger(LocalApplier.class.getName());

    private final ClientRegistry registry;
    private final Map<String, SharedState.Versioned> applied = new HashMap<>();
    private final Set<String> unknownLogged = new HashSet<>();

    /** Clients with a change made here that the store has not taken yet: not enabled from the store meanwhile. */
    private final java.util.function.Predicate<String> heldBack;

    LocalApplier(ClientRegistry registry, java.util.function.Predicate<String> heldBack) {
        this.registry = registry;
        this.heldBack = heldBack;
    }

    synchronized SharedState.Versioned current(String client) {
        return applied.get(client);
    }

    /**
     * Applies {@code next} if it is newer than what was applied for {@code client}.
     *
     * @return whether it was applied
     */
    synchronized boolean offer(String client, SharedState.Versioned next) {
        SharedState.Versioned prev = applied.get(client);
        if (prev != null && prev.modRevision() >= next.modRevision()) return false;
        applied.put(client, next);
        apply(client, prev == null ? null : prev.record(), next.record());
        return true;
    }

    /** The store wins: every client it has a record of takes that record (at start, after compaction). */
    synchronized void offerAll(Map<String, SharedState.Versioned> records) {
        for (Map.Entry<String, SharedState.Versioned> e : records.entrySet()) offer(e.getKey(), e.getValue());
    }

    /** Applies the record in force again, whatever the local state became meanwhile (a local expiry). */
    synchronized void reapply(String client) {
        SharedState.Versioned v = applied.get(client);
        if (v != null) apply(client, v.record(), v.record());
    }

    /** Makes a revoking change here alone, at once (the store is out of reach; it is committed later). */
    synchronized void applyHere(String client, org.mandosjava.server.SharedChanges.Change change) {
        try (Origin.Scope ignored = Origin.enter(Origin.CLUSTER)) {
            switch (change) {
                case org.mandosjava.server.SharedChanges.Disable d -> registry.disable(client);
                case org.mandosjava.server.SharedChanges.Remove r -> registry.remove(client);
                case org.mandosjava.server.SharedChanges.Secret s -> registry.setSecret(client, s.secret());
                case org.mandosjava.server.SharedChanges.Approve a -> registry.approve(client, a.approved());
                default -> throw new IllegalArgumentException("not a revocation: " + change);
            }
        }
    }

    private void apply(String client, ClientRecord prev, ClientRecord next) {
        try (Origin.Scope ignored = Origin.enter(Origin.CLUSTER)) {
            Optional<ClientStatus> status = registry.status(client);
            if (status.isEmpty() && !next.removed() && !next.definition().isEmpty() && added(client, next)) {
                status = registry.status(client);
                prev = null; // everything the record says is new here
            }
            if (status.isEmpty()) {
                if (!next.removed() && unknownLogged.add(client)) {
                    LOG.warning("The shared store has client " + client + ", which this server's clients.conf does not"
                            + " define (or it was removed here): ignored");
                }
                return;
            }
            if (next.removed()) {
                registry.remove(client);
                return;
            }
            byte[] secret = next.secret();
            if (secret != null && (prev == null || !Arrays.equals(prev.secret(), secret))) registry.setSecret(client, secret);
            for (Map.Entry<String, String> s : next.settings().entrySet()) {
                if (prev == null || !s.getValue().equals(prev.settings().get(s.getKey()))) {
                    setting(client, s.getKey(), s.getValue());
                }
            }
            if (next.enabled() != status.get().enabled() && !(next.enabled() && heldBack.test(client))) {
                if (next.enabled()) registry.enable(client);
                else registry.disable(client);
            }
            if (next.lastCheckedOk() != null && next.enabled()) registry.checkedOkElsewhere(client, next.lastCheckedOk());
            if (prev != null && next.approved() != null && next.approvals() != prev.approvals()) {
                registry.approve(client, next.approved());
            }
        }
    }

    /** Adds a client another server added at runtime; false (logged) if it cannot be added here. */
    private boolean added(String client, ClientRecord record) {
        try {
            registry.add(ClientDefinition.toConfig(client, record.definition(), record.secret()));
            return true;
        } catch (org.mandosjava.config.ConfigException | IllegalArgumentException e) {
            if (unknownLogged.add(client)) {
                LOG.warning("Cluster: client " + client + ", added on another server, cannot be added here: "
                        + e.getMessage());
            }
            return false;
        }
    }

    private void setting(String client, String property, String value) {
        try {
            switch (property) {
                case "Timeout" -> registry.setTimeout(client, millis(value));
                case "ExtendedTimeout" -> registry.setExtendedTimeout(client, millis(value));
                case "Interval" -> registry.setInterval(client, millis(value));
                case "ApprovalDelay" -> registry.setApprovalDelay(client, millis(value));
                case "ApprovalDuration" -> registry.setApprovalDuration(client, millis(value));
                case "ApprovedByDefault" -> registry.setApprovedByDefault(client, Boolean.parseBoolean(value));
                case "Host" -> registry.setHost(client, value);
                case "Checker" -> registry.setChecker(client, value);
                case "KeyExpires" -> registry.setKeyExpires(client, Instant.parse(value));
                default -> LOG.warning("Client " + client + ": the shared store sets " + property + ", which is not shared");
            }
        } catch (RuntimeException e) {
            LOG.warning("Client " + client + ": cannot apply " + property + " from the shared store: " + e.getMessage());
        }
    }

    private static Duration millis(String value) {
        return Duration.ofMillis(Long.parseLong(value));
    }
}
