package org.mandosjava.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.SharedChanges;
import org.mandosjava.json.Json;

/**
 * What the store holds for one client: the runtime state servers share (spec'd in the README's
 * "Cluster" section). Definitions stay in each server's clients.conf, except for a client added at
 * runtime, whose record carries its definition.
 *
 * @param enabled whether it may get its secret
 * @param removed a tombstone: removed at runtime, by any server
 * @param secret a secret set at runtime (OpenPGP ciphertext to the client's key, as clients.conf's
 *     is), or null while clients.conf's is in force; never logged
 * @param lastCheckedOk the latest checker success any server has seen (wall clock), or null
 * @param approved the last approval decision, or null if none was ever made
 * @param approvals counts approval decisions, so that each one is applied once
 * @param settings the other settable properties changed at runtime, by D-Bus name, as text
 * @param definition for a client added at runtime, its clients.conf options (without the secret,
 *     which is {@code secret}); empty for a client of clients.conf
 */
public record ClientRecord(boolean enabled, boolean removed, byte[] secret, Instant lastCheckedOk, Boolean approved,
        long approvals, Map<String, String> settings, Map<String, String> definition) {
    /** The properties a {@link SharedChanges.Setting} may name. */
    static final Set<String> SETTINGS = Set.of("Timeout", "ExtendedTimeout", "Interval", "ApprovalDelay",
            "ApprovalDuration", "ApprovedByDefault", "Host", "Checker", "KeyExpires");

    public ClientRecord {
        secret = secret == null ? null : secret.clone();
        settings = Map.copyOf(settings);
        definition = Map.copyOf(definition);
    }

    /** A record of a client that clients.conf defines. */
    public ClientRecord(boolean enabled, boolean removed, byte[] secret, Instant lastCheckedOk, Boolean approved,
            long approvals, Map<String, String> settings) {
        this(enabled, removed, secret, lastCheckedOk, approved, approvals, settings, Map.of());
    }

    /** What a client nobody has defined yet starts from, for an add. */
    static final ClientRecord ABSENT = new ClientRecord(false, true, null, null, null, 0, Map.of());

    /** The record a client the store does not know yet starts from: what this server has. */
    static ClientRecord from(ClientStatus status) {
        return new ClientRecord(status.enabled(), false, null, status.lastCheckedOk(), null, 0, Map.of());
    }

    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /** This record with a caller's change made. */
    ClientRecord with(SharedChanges.Change change) {
        return switch (change) {
            case SharedChanges.Enable e -> new ClientRecord(true, removed, secret, lastCheckedOk, approved, approvals, settings,
                    definition);
            case SharedChanges.Disable d -> new ClientRecord(false, removed, secret, lastCheckedOk, approved, approvals,
                    settings, definition);
            case SharedChanges.Remove r -> new ClientRecord(false, true, secret, lastCheckedOk, approved, approvals, settings,
                    definition);
            case SharedChanges.Secret s -> new ClientRecord(enabled, removed, s.secret(), lastCheckedOk, approved, approvals,
                    settings, definition);
            case SharedChanges.Approve a -> new ClientRecord(enabled, removed, secret, lastCheckedOk, a.approved(),
                    approvals + 1, settings, definition);
            case SharedChanges.Add a -> {
                if (!removed) throw new IllegalArgumentException("a client named that exists already");
                yield new ClientRecord(a.config().enabled(), false, a.config().secret(), null, null, approvals, Map.of(),
                        ClientDefinition.of(a.config()));
            }
            case SharedChanges.Setting s -> {
                if (!SETTINGS.contains(s.property())) throw new IllegalArgumentException("not shared: " + s.property());
                Map<String, String> next = new LinkedHashMap<>(settings);
                next.put(s.property(), s.value());
                yield new ClientRecord(enabled, removed, secret, lastCheckedOk, approved, approvals, next, definition);
            }
        };
    }

    /** This record with a checker success at {@code at}, if that is later than the one it has. */
    ClientRecord checkedOk(Instant at) {
        if (lastCheckedOk != null && !at.isAfter(lastCheckedOk)) return this;
        return new ClientRecord(enabled, removed, secret, at, approved, approvals, settings, definition);
    }

    /** Whether it lets a client get more than {@code before} did (an enable, an approval, a new secret). */
    boolean grantsMoreThan(ClientRecord before) {
        return enabled && !before.enabled || Boolean.TRUE.equals(approved) && approvals != before.approvals;
    }

    byte[] toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("enabled", enabled);
        o.put("removed", removed);
        o.put("secret", secret == null ? null : Base64.getEncoder().encodeToString(secret));
        o.put("last_checked_ok", lastCheckedOk == null ? null : lastCheckedOk.toString());
        o.put("approved", approved);
        o.put("approvals", approvals);
        o.put("settings", settings);
        if (!definition.isEmpty()) o.put("definition", definition);
        return Json.write(o).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if it is not a record this package writes */
    static ClientRecord fromJson(byte[] json) {
        Map<String, Object> o = Json.parseObject(new String(json, StandardCharsets.UTF_8));
        try {
            String secret = (String) o.get("secret");
            String checked = (String) o.get("last_checked_ok");
            Map<String, String> settings = new LinkedHashMap<>();
            if (o.get("settings") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> settings.put((String) k, (String) v));
            }
            Map<String, String> definition = new LinkedHashMap<>();
            if (o.get("definition") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> definition.put((String) k, (String) v));
            }
            Object approvals = o.get("approvals");
            return new ClientRecord(Boolean.TRUE.equals(o.get("enabled")), Boolean.TRUE.equals(o.get("removed")),
                    secret == null ? null : Base64.getDecoder().decode(secret),
                    checked == null ? null : Instant.parse(checked), (Boolean) o.get("approved"),
                    approvals == null ? 0 : (Long) approvals, settings, definition);
        } catch (ClassCastException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a client record: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientRecord r && java.util.Arrays.equals(toJson(), r.toJson());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(toJson());
    }

    /** Without the secret, which is never logged. */
    @Override
    public String toString() {
        return "ClientRecord[enabled=" + enabled + ", removed=" + removed + ", secret=" + (secret == null ? "clients.conf's"
                : "set") + ", lastCheckedOk=" + lastCheckedOk + ", approved=" + approved + ", settings=" + settings
                + (definition.isEmpty() ? "" : ", added at runtime") + "]";
    }
}
