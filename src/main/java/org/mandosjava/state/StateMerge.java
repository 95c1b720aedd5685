package org.mandosjava.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.mandosjava.config.Booleans;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.Durations;
import org.mandosjava.config.KeyExpiryDates;

/**
 * The restart merge of saved runtime state with a (possibly edited) clients.conf, spec §8 steps 1–6.
 * <p>
 * Settings that exist both in clients.conf and at runtime (option key → {@link ClientSnapshot} field):
 * <pre>
 *   timeout             → timeout            approval_delay      → approvalDelay
 *   extended_timeout    → extendedTimeout    approval_duration   → approvalDuration
 *   interval            → interval           approved_by_default → approvedByDefault
 *   checker             → checker            host                → host
 *   enabled             → enabled (with lastEnabled and expires, see below)
 *   key_expires         → keyExpires (only an extension made at runtime is saved)
 * </pre>
 * For each, "changed" means the option's value in the new clients.conf differs from its value when
 * the state was saved, compared as the type the server reads (so {@code 5m} equals {@code PT5M});
 * a changed option wins over the runtime value, an unchanged one keeps the runtime value.
 * <p>
 * Rules, per client:
 * <ol>
 * <li>saved and still configured: settings merged as above. Consequently a client that was disabled
 *     when saved stays disabled after any restart or crash unless the administrator changed its
 *     {@code enabled} line; a client re-enabled that way gets {@code lastEnabled = now} and
 *     {@code expires = now + timeout} (the original crashes on this case).
 * <li>then, enabled with {@code expires} passed (or unknown): disabled if it never had a successful
 *     check or its last checker status is not 0, else kept enabled with {@code expires = now + timeout}.
 *     A disabled client has {@code expires = null}.
 * <li>the runtime secret is kept as loaded (already dropped by {@link StateStore} if it no longer
 *     decrypts with the clients.conf secret).
 * <li>in the saved config but no longer configured: dropped. Configured but not in the saved config
 *     (new client): fresh from clients.conf (state null).
 * <li>in the saved config, not among the saved clients (removed at runtime) and with its section
 *     unchanged: stays removed (listed in {@link Result#removedAtRuntime}). If its settings or
 *     identity ({@code key_id}, {@code fingerprint}) changed, the administrator has touched it since:
 *     it comes back fresh.
 * </ol>
 */
public final class StateMerge {
    private StateMerge() {}

    /** One configured client after the merge; {@code state} null means "fresh from clients.conf". */
    public record RestoredClient(ClientConfig config, ClientSnapshot state) {}

    /**
     * @param clients in clients.conf order, without clients that stay removed
     * @param removedAtRuntime configured clients left out because they were removed at runtime
     * @param dropped saved clients no longer in clients.conf
     * @param fresh configured clients the saved state does not know: new in clients.conf. Not notes:
     *     on a first start that is every client, and 100,000 sentences saying so are 9 MB
     * @param notes what else the merge decided that an administrator should see in the log
     */
    public record Result(List<RestoredClient> clients, List<String> removedAtRuntime, List<String> dropped,
            List<String> fresh, List<String> notes) {
        public Result {
            clients = List.copyOf(clients);
            removedAtRuntime = List.copyOf(removedAtRuntime);
            dropped = List.copyOf(dropped);
            fresh = List.copyOf(fresh);
            notes = List.copyOf(notes);
        }
    }

    /** Option keys a restart compares, and how their values are read. */
    enum Setting {
        TIMEOUT("timeout", Durations::parse),
        EXTENDED_TIMEOUT("extended_timeout", Durations::parse),
        INTERVAL("interval", Durations::parse),
        APPROVAL_DELAY("approval_delay", Durations::parse),
        APPROVAL_DURATION("approval_duration", Durations::parse),
        APPROVED_BY_DEFAULT("approved_by_default", Booleans::parse),
        CHECKER("checker", s -> s),
        HOST("host", s -> s),
        ENABLED("enabled", Booleans::parse),
        KEY_EXPIRES(KeyExpiryDates.KEY, KeyExpiryDates::parse);

        final String key;
        private final Function<String, Object> reader;

        Setting(String key, Function<String, Object> reader) {
            this.key = key;
            this.reader = reader;
        }

        /** Whether clients.conf changed this option between the two option maps. */
        boolean changed(Map<String, String> before, Map<String, String> after) {
            return differ(before.get(key), after.get(key), reader);
        }
    }

    /** Identity options: not runtime settings, but editing them means the section was touched. */
    private static final List<String> IDENTITY = List.of("key_id", "fingerprint");

    private static boolean differ(String before, String after, Function<String, Object> reader) {
        if (before == null || after == null) return !Objects.equals(before, after);
        if (before.equals(after)) return false;
        try {
            return !reader.apply(before).equals(reader.apply(after));
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }

    public static Result merge(SavedState saved, List<ClientConfig> newConfig, Instant now) {
        List<RestoredClient> out = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        java.util.Set<String> configured = new java.util.HashSet<>();
        for (ClientConfig config : newConfig) {
            String name = config.name();
            configured.add(name);
            Map<String, String> old = saved.configAtSave().get(name);
            ClientSnapshot state = saved.clients().get(name);
            if (old == null) {
                if (state != null) notes.add("client " + name + ": saved without its configuration; starting fresh");
                else fresh.add(name);
                out.add(new RestoredClient(config, null));
            } else if (state == null) {
                if (sectionChanged(old, config.options())) {
                    notes.add("client " + name + ": was removed at runtime, but its clients.conf section has "
                            + "changed since; adding it again from clients.conf");
                    out.add(new RestoredClient(config, null));
                } else {
                    notes.add("client " + name + ": was removed at runtime; stays removed (edit its "
                            + "clients.conf section to bring it back)");
                    removed.add(name);
                }
            } else {
                out.add(new RestoredClient(config, restore(state, old, config, now, notes)));
            }
        }
        List<String> dropped = new ArrayList<>();
        for (String name : saved.configAtSave().keySet()) {
            if (!configured.contains(name)) {
                dropped.add(name);
                notes.add("client " + name + ": no longer in clients.conf; its saved state is dropped");
            }
        }
        return new Result(out, removed, dropped, fresh, notes);
    }

    private static boolean sectionChanged(Map<String, String> old, Map<String, String> now) {
        for (Setting s : Setting.values()) if (s.changed(old, now)) return true;
        for (String key : IDENTITY) if (differ(old.get(key), now.get(key), StateMerge::identity)) return true;
        return false;
    }

    /** key_id and fingerprint as the server reads them. */
    private static Object identity(String text) {
        return ClientsConf.normalizedId(text);
    }

    private static ClientSnapshot restore(ClientSnapshot s, Map<String, String> old, ClientConfig c, Instant now,
            List<String> notes) {
        Map<String, String> opts = c.options();
        String name = c.name();
        Duration timeout = pick(Setting.TIMEOUT, old, opts, c.timeout(), s.timeout());
        boolean enabled = s.enabled();
        Instant lastEnabled = s.lastEnabled();
        Instant expires = s.expires();
        if (Setting.ENABLED.changed(old, opts) && c.enabled() != s.enabled()) {
            enabled = c.enabled();
            if (enabled) {
                lastEnabled = now;
                expires = now.plus(timeout);
                notes.add("client " + name + ": enabled, because its enabled line in clients.conf changed");
            } else {
                notes.add("client " + name + ": disabled, because its enabled line in clients.conf changed");
            }
        } else if (enabled && (expires == null || !now.isBefore(expires))) {
            if (s.lastCheckedOk() == null) {
                enabled = false;
                notes.add("client " + name + ": disabled: it expired while the server was down and never "
                        + "had a successful checker");
            } else if (s.lastCheckerStatus() != 0) {
                enabled = false;
                notes.add("client " + name + ": disabled: it expired while the server was down and its last "
                        + "checker failed with status " + s.lastCheckerStatus());
            } else {
                expires = now.plus(timeout);
                notes.add("client " + name + ": expired while the server was down, but its last checker "
                        + "succeeded; kept enabled until " + expires);
            }
        }
        if (!enabled) expires = null;
        return new ClientSnapshot(name, enabled, s.created(), lastEnabled, expires, s.lastCheckedOk(),
                s.lastApprovalRequest(), s.lastCheckerStatus(), s.lastCheckerSignal(), timeout,
                pick(Setting.EXTENDED_TIMEOUT, old, opts, c.extendedTimeout(), s.extendedTimeout()),
                pick(Setting.INTERVAL, old, opts, c.interval(), s.interval()),
                pick(Setting.APPROVAL_DELAY, old, opts, c.approvalDelay(), s.approvalDelay()),
                pick(Setting.APPROVAL_DURATION, old, opts, c.approvalDuration(), s.approvalDuration()),
                pick(Setting.APPROVED_BY_DEFAULT, old, opts, c.approvedByDefault(), s.approvedByDefault()),
                pick(Setting.CHECKER, old, opts, c.checker(), s.checker()),
                pick(Setting.HOST, old, opts, c.host(), s.host()),
                s.runtimeSecret(), s.approved(), s.approvedUntil(),
                // An extension made at runtime holds until clients.conf gives a new date (rotation).
                Setting.KEY_EXPIRES.changed(old, opts) ? null : s.keyExpires());
    }

    private static <T> T pick(Setting setting, Map<String, String> old, Map<String, String> now, T configValue,
            T savedValue) {
        return setting.changed(old, now) ? configValue : savedValue;
    }
}
