package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;

/** The restart merge rules of spec §8, one test per rule, on real clients.conf text. */
class StateMergeTest {
    static final Instant SAVED = Instant.parse("2026-11-26T10:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-26T10:30:00Z");

    @TempDir
    Path tmp;

    private int files;

    List<ClientConfig> conf(String text) throws Exception {
        Path f = tmp.resolve("clients-" + files++ + ".conf");
        Files.writeString(f, text);
        return ClientsConf.load(f);
    }

    static String section(String name, String... lines) {
        StringBuilder s = new StringBuilder("[" + name + "]\nsecret = c2VjcmV0\n");
        if (java.util.Arrays.stream(lines).noneMatch(l -> l.startsWith("checker"))) s.append("checker = true\n");
        for (String l : lines) s.append(l).append('\n');
        return s.toString();
    }

    /** The state a server running with {@code old} saved, with {@code clients} as its runtime state. */
    SavedState saved(List<ClientConfig> old, ClientSnapshot... clients) {
        Map<String, Map<String, String>> config = new LinkedHashMap<>();
        for (ClientConfig c : old) config.put(c.name(), c.options());
        Map<String, ClientSnapshot> byName = new LinkedHashMap<>();
        for (ClientSnapshot c : clients) byName.put(c.name(), c);
        return new SavedState(config, byName, SAVED);
    }

    /** Runtime state differing from clients.conf in every runtime setting, enabled, not expired. */
    static ClientSnapshot runtime(String name, boolean enabled) {
        return new ClientSnapshot(name, enabled, SAVED.minusSeconds(3600), SAVED.minusSeconds(600),
                enabled ? NOW.plusSeconds(60) : null, SAVED.minusSeconds(30), SAVED.minusSeconds(20), 0, null,
                Duration.ofMinutes(7), Duration.ofMinutes(17), Duration.ofMinutes(3), Duration.ofSeconds(40),
                Duration.ofSeconds(4), false, "runtime-checker", "runtime.host", new byte[] {1, 2, 3});
    }

    static ClientSnapshot only(StateMerge.Result r, String name) {
        return r.clients().stream().filter(c -> c.config().name().equals(name)).findFirst().orElseThrow().state();
    }

    @Test
    void unchangedConfigKeepsEveryRuntimeValue() throws Exception {
        List<ClientConfig> config = conf(section("a", "timeout = PT5M"));
        ClientSnapshot a = runtime("a", true);
        StateMerge.Result r = StateMerge.merge(saved(config, a), config, NOW);
        assertThat(only(r, "a")).isEqualTo(a);
        assertThat(r.removedAtRuntime()).isEmpty();
        assertThat(r.dropped()).isEmpty();
    }

    @Test
    void equalValuesWrittenDifferentlyAreNoChange() throws Exception {
        List<ClientConfig> old = conf(section("a", "timeout = PT5M", "interval = 2m", "enabled = True",
                "approved_by_default = yes"));
        List<ClientConfig> now = conf(section("a", "timeout = 5m", "interval = PT2M", "enabled = on",
                "approved_by_default = 1"));
        ClientSnapshot a = runtime("a", true);
        assertThat(only(StateMerge.merge(saved(old, a), now, NOW), "a")).isEqualTo(a);
    }

    /** Each clients.conf option maps to one snapshot field; changing it there overrides only that one. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timeout             | PT5M  | PT9M  | timeout",
        "extended_timeout    | PT15M | PT19M | extendedTimeout",
        "interval            | PT2M  | PT9S  | interval",
        "approval_delay      | PT0S  | PT9S  | approvalDelay",
        "approval_duration   | PT1S  | PT9S  | approvalDuration",
        "approved_by_default | False | True  | approvedByDefault",
        "checker             | true  | fping | checker",
        "host                | h     | h9    | host"})
    void aSettingChangedInClientsConfWins(String key, String oldValue, String value, String field)
            throws Exception {
        List<ClientConfig> old = conf(section("a", key + " = " + oldValue));
        List<ClientConfig> now = conf(section("a", key + " = " + value));
        ClientSnapshot a = runtime("a", true);
        ClientSnapshot merged = only(StateMerge.merge(saved(old, a), now, NOW), "a");
        ClientConfig c = now.get(0);
        Map<String, Object> configValues = Map.of("timeout", c.timeout(), "extendedTimeout", c.extendedTimeout(),
                "interval", c.interval(), "approvalDelay", c.approvalDelay(), "approvalDuration",
                c.approvalDuration(), "approvedByDefault", c.approvedByDefault(), "checker", c.checker(),
                "host", c.host());
        for (var e : configValues.entrySet()) {
            Object expected = e.getKey().equals(field) ? e.getValue() : fieldOf(a, e.getKey());
            assertThat(fieldOf(merged, e.getKey())).as(e.getKey()).isEqualTo(expected);
        }
        assertThat(fieldOf(merged, field)).isNotEqualTo(fieldOf(a, field));
        assertThat(merged.enabled()).isTrue();
        assertThat(merged.runtimeSecret()).isEqualTo(a.runtimeSecret());
    }

    static Object fieldOf(ClientSnapshot s, String field) throws Exception {
        return ClientSnapshot.class.getMethod(field).invoke(s);
    }

    @Test
    void aClientDisabledWhenSavedStaysDisabled() throws Exception {
        List<ClientConfig> config = conf(section("a", "enabled = True"));
        // Everything about it looks healthy, and its expiry is not even reached: still disabled.
        ClientSnapshot a = runtime("a", false);
        ClientSnapshot merged = only(StateMerge.merge(saved(config, a), config, NOW), "a");
        assertThat(merged.enabled()).isFalse();
        assertThat(merged.expires()).isNull();
    }

    @Test
    void rewritingTheEnabledLineWithTheSameMeaningDoesNotReEnable() throws Exception {
        List<ClientConfig> old = conf(section("a"));
        List<ClientConfig> now = conf(section("a", "enabled = yes"));
        assertThat(only(StateMerge.merge(saved(old, runtime("a", false)), now, NOW), "a").enabled()).isFalse();
    }

    @Test
    void theAdministratorChangingEnabledInClientsConfReEnables() throws Exception {
        List<ClientConfig> old = conf(section("a", "enabled = False"));
        List<ClientConfig> now = conf(section("a", "enabled = True"));
        StateMerge.Result r = StateMerge.merge(saved(old, runtime("a", false)), now, NOW);
        ClientSnapshot merged = only(r, "a");
        assertThat(merged.enabled()).isTrue();
        assertThat(merged.lastEnabled()).isEqualTo(NOW);
        assertThat(merged.expires()).isEqualTo(NOW.plus(Duration.ofMinutes(7)));  // the runtime timeout
        assertThat(r.notes()).anyMatch(n -> n.contains("enabled line"));
    }

    @Test
    void theAdministratorChangingEnabledToFalseDisables() throws Exception {
        List<ClientConfig> old = conf(section("a"));
        List<ClientConfig> now = conf(section("a", "enabled = False"));
        ClientSnapshot merged = only(StateMerge.merge(saved(old, runtime("a", true)), now, NOW), "a");
        assertThat(merged.enabled()).isFalse();
        assertThat(merged.expires()).isNull();
    }

    @Test
    void expiredAndNeverCheckedOkIsDisabled() throws Exception {
        List<ClientConfig> config = conf(section("a"));
        ClientSnapshot a = runtime("a", true).withExpires(NOW.minusSeconds(1));
        a = new ClientSnapshot("a", true, a.created(), a.lastEnabled(), a.expires(), null, null,
                ClientSnapshot.CHECKER_NEVER_RAN, null, a.timeout(), a.extendedTimeout(), a.interval(),
                a.approvalDelay(), a.approvalDuration(), true, "true", "", null);
        StateMerge.Result r = StateMerge.merge(saved(config, a), config, NOW);
        assertThat(only(r, "a").enabled()).isFalse();
        assertThat(only(r, "a").expires()).isNull();
        assertThat(r.notes()).anyMatch(n -> n.contains("never had a successful checker"));
    }

    @ParameterizedTest
    @CsvSource({"1", "-1", "-2"})
    void expiredWithAFailedLastCheckerIsDisabled(int status) throws Exception {
        List<ClientConfig> config = conf(section("a"));
        ClientSnapshot r0 = runtime("a", true);
        ClientSnapshot a = new ClientSnapshot("a", true, r0.created(), r0.lastEnabled(), NOW, r0.lastCheckedOk(),
                null, status, status == -1 ? 9 : null, r0.timeout(), r0.extendedTimeout(), r0.interval(),
                r0.approvalDelay(), r0.approvalDuration(), true, "true", "", null);
        assertThat(only(StateMerge.merge(saved(config, a), config, NOW), "a").enabled()).isFalse();
    }

    @Test
    void expiredWithASuccessfulLastCheckerStaysEnabledForOneTimeout() throws Exception {
        List<ClientConfig> old = conf(section("a"));
        List<ClientConfig> now = conf(section("a", "timeout = PT11M"));
        ClientSnapshot a = runtime("a", true).withExpires(NOW.minusSeconds(600));
        ClientSnapshot merged = only(StateMerge.merge(saved(old, a), now, NOW), "a");
        assertThat(merged.enabled()).isTrue();
        assertThat(merged.expires()).isEqualTo(NOW.plus(Duration.ofMinutes(11)));  // the merged timeout
    }

    @Test
    void notExpiredKeepsItsExpiry() throws Exception {
        List<ClientConfig> config = conf(section("a"));
        ClientSnapshot a = runtime("a", true);
        assertThat(only(StateMerge.merge(saved(config, a), config, NOW), "a").expires()).isEqualTo(a.expires());
    }

    @Test
    void clientsGoneFromClientsConfAreDroppedAndNewOnesStartFresh() throws Exception {
        List<ClientConfig> old = conf(section("gone") + section("kept"));
        List<ClientConfig> now = conf(section("new") + section("kept"));
        StateMerge.Result r = StateMerge.merge(saved(old, runtime("gone", true), runtime("kept", false)), now, NOW);
        assertThat(r.clients()).extracting(c -> c.config().name()).containsExactly("new", "kept");
        assertThat(only(r, "new")).isNull();
        assertThat(only(r, "kept").enabled()).isFalse();
        assertThat(r.dropped()).containsExactly("gone");
        assertThat(r.fresh()).containsExactly("new");
        // Listed by name only: a first start with every client new makes no sentence per client.
        assertThat(r.notes()).noneMatch(n -> n.contains("new") || n.contains("kept"));
    }

    @Test
    void aClientRemovedAtRuntimeStaysRemovedWhileItsSectionIsUnchanged() throws Exception {
        List<ClientConfig> old = conf(section("a") + section("removed", "host = r"));
        List<ClientConfig> now = conf(section("a") + section("removed", "host = r", "ssh_fingerprint = x"));
        StateMerge.Result r = StateMerge.merge(saved(old, runtime("a", true)), now, NOW);
        assertThat(r.clients()).extracting(c -> c.config().name()).containsExactly("a");
        assertThat(r.removedAtRuntime()).containsExactly("removed");
    }

    @Test
    void aClientRemovedAtRuntimeComesBackFreshWhenItsSectionChanged() throws Exception {
        List<ClientConfig> old = conf(section("a") + section("removed", "host = r"));
        List<ClientConfig> now = conf(section("a") + section("removed", "host = r2"));
        StateMerge.Result r = StateMerge.merge(saved(old, runtime("a", true)), now, NOW);
        assertThat(r.clients()).extracting(c -> c.config().name()).containsExactly("a", "removed");
        assertThat(only(r, "removed")).isNull();
        assertThat(r.removedAtRuntime()).isEmpty();
    }

    @Test
    void freshSnapshotFollowsTheConfig() throws Exception {
        ClientConfig c = conf(section("a", "enabled = False", "timeout = PT3M", "host = h")).get(0);
        ClientSnapshot s = ClientSnapshot.fresh(c, NOW);
        assertThat(s.enabled()).isFalse();
        assertThat(s.lastEnabled()).isNull();
        assertThat(s.created()).isEqualTo(NOW);
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(s.host()).isEqualTo("h");
        assertThat(s.lastCheckerStatus()).isEqualTo(ClientSnapshot.CHECKER_NEVER_RAN);
        assertThat(s.runtimeSecret()).isNull();
    }
}
