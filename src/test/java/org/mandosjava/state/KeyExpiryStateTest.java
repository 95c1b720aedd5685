package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;

/** A key expiry extended at runtime survives the state file, and gives way to a new clients.conf date. */
class KeyExpiryStateTest {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Instant EXTENDED = Instant.parse("2027-06-30T00:00:00Z");

    @TempDir
    Path tmp;

    ClientConfig config(String keyExpires) throws Exception {
        Path conf = Files.writeString(tmp.resolve("clients.conf"),
                "[c]\nsecret = c2VjcmV0\nkey_expires = " + keyExpires + "\n");
        return ClientsConf.load(conf).get(0);
    }

    SavedState saved(ClientConfig config, Instant keyExpires) {
        ClientSnapshot s = ClientSnapshot.fresh(config, NOW).withExpires(NOW.plusSeconds(300));
        s = new ClientSnapshot(s.name(), s.enabled(), s.created(), s.lastEnabled(), s.expires(), s.lastCheckedOk(),
                s.lastApprovalRequest(), s.lastCheckerStatus(), s.lastCheckerSignal(), s.timeout(),
                s.extendedTimeout(), s.interval(), s.approvalDelay(), s.approvalDuration(), s.approvedByDefault(),
                s.checker(), s.host(), null, null, null, keyExpires);
        return new SavedState(Map.of("c", config.options()), Map.of("c", s), NOW);
    }

    @Test
    void theExtensionIsWrittenAndReadBack() throws Exception {
        SavedState state = saved(config("2026-12-01"), EXTENDED);
        byte[] bytes = StateFileFormat.encode(state, (name, secret) -> secret);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\tkey-expires=2027-06-30T00:00:00Z");
        SavedState read = StateFileFormat.decode(bytes, tmp.resolve("state")).state();
        assertThat(read.clients().get("c").keyExpires()).isEqualTo(EXTENDED);
        assertThat(read.clients().get("c")).isEqualTo(state.clients().get("c"));
    }

    @Test
    void withoutAnExtensionNothingIsWritten() {
        ClientSnapshot plain = ClientSnapshot.fresh(clientWithoutExpiry(), NOW);
        byte[] bytes = StateFileFormat.encode(new SavedState(Map.of("c", Map.of()), Map.of("c", plain), NOW),
                (name, secret) -> secret);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("key-expires");
    }

    @Test
    void aRestartKeepsTheExtensionWhileClientsConfKeepsItsDate() throws Exception {
        ClientConfig config = config("2026-12-01");
        StateMerge.Result merged = StateMerge.merge(saved(config, EXTENDED), List.of(config), NOW.plusSeconds(60));
        assertThat(merged.clients().get(0).state().keyExpires()).isEqualTo(EXTENDED);
    }

    @Test
    void aNewDateInClientsConfReplacesTheExtension() throws Exception {
        ClientConfig before = config("2026-12-01");
        SavedState state = saved(before, EXTENDED);
        ClientConfig rotated = config("2028-01-01");
        StateMerge.Result merged = StateMerge.merge(state, List.of(rotated), NOW.plusSeconds(60));
        assertThat(merged.clients().get(0).state().keyExpires()).isNull();
        assertThat(rotated.keyExpires()).contains(Instant.parse("2028-01-01T00:00:00Z"));
    }

    private ClientConfig clientWithoutExpiry() {
        try {
            Path conf = Files.writeString(tmp.resolve("plain.conf"), "[c]\nsecret = c2VjcmV0\n");
            return ClientsConf.load(conf).get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
