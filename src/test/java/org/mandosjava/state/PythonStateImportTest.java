package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;

/** Imports a clients.pickle written by the real Python server (see resources/state/README.md). */
class PythonStateImportTest {
    static final Path FIXTURES = Path.of(System.getProperty("mandos.home", "."), "src/test/resources/state");
    static final Path PICKLE = FIXTURES.resolve("python-1.8.16-clients.pickle");
    static final Path CONF = FIXTURES.resolve("python-1.8.16-clients.conf");

    static Function<String, byte[]> secrets(List<ClientConfig> config) {
        Map<String, byte[]> m = config.stream().collect(Collectors.toMap(ClientConfig::name, ClientConfig::secret));
        return m::get;
    }

    @Test
    void importsEveryAttributeOfTheRealPickle() throws Exception {
        List<ClientConfig> config = ClientsConf.load(CONF);
        StateStore.LoadedState loaded = PythonStateImport.read(PICKLE, secrets(config));
        SavedState s = loaded.state();
        assertThat(loaded.warnings()).isEmpty();

        assertThat(s.clients()).containsOnlyKeys("alpha", "beta", "gamma");
        assertThat(s.configAtSave()).containsOnlyKeys("alpha", "beta", "gamma", "delta");

        ClientSnapshot beta = s.clients().get("beta");
        assertThat(beta.enabled()).isFalse();
        assertThat(beta.expires()).isNull();
        assertThat(beta.lastCheckedOk()).isNull();
        assertThat(beta.lastCheckerStatus()).isEqualTo(ClientSnapshot.CHECKER_NEVER_RAN);
        assertThat(beta.checker()).isEqualTo("false");
        assertThat(beta.runtimeSecret()).isNull();  // encrypted_secret = the config secret

        ClientSnapshot gamma = s.clients().get("gamma");
        assertThat(gamma.enabled()).isTrue();
        assertThat(gamma.timeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(gamma.approvalDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(gamma.approvedByDefault()).isFalse();
        assertThat(gamma.expires()).isAfter(gamma.created());

        ClientSnapshot alpha = s.clients().get("alpha");
        assertThat(alpha.enabled()).isTrue();
        assertThat(alpha.host()).isEqualTo("alpha.example");
        assertThat(alpha.lastCheckerStatus()).isZero();
        assertThat(alpha.lastCheckedOk()).isNotNull().isAfterOrEqualTo(alpha.created());
        assertThat(alpha.lastCheckerSignal()).isNull();
        assertThat(alpha.lastApprovalRequest()).isNull();
        assertThat(alpha.extendedTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(alpha.interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(alpha.approvalDuration()).isEqualTo(Duration.ofSeconds(1));
        // Written by gpg --symmetric inside the Python server, keyed by the clients.conf secret.
        assertThat(alpha.runtimeSecret()).isEqualTo("runtime-secret-for-alpha".getBytes(StandardCharsets.US_ASCII));
        // Naive UTC datetimes with their microseconds; the fixture was made on 2026-11-26 ~16:12 UTC.
        assertThat(alpha.created()).isBetween(Instant.parse("2026-11-26T16:00:00Z"), Instant.parse("2026-11-26T17:00:00Z"));
        assertThat(alpha.created().getNano() % 1000).isZero();

        Map<String, String> oldGamma = s.configAtSave().get("gamma");
        assertThat(oldGamma).containsEntry("timeout", "PT300S").containsEntry("approval_delay", "PT30S")
                .containsEntry("approved_by_default", "False").containsEntry("checker", "true")
                .containsEntry("enabled", "True").doesNotContainKeys("secret", "checker_command", "last_checked_ok");
        // 1.8.16 leaves the removed client's secret in clear in client_settings: never carried over.
        assertThat(s.configAtSave().get("delta")).doesNotContainKey("secret");
    }

    @Test
    void mergedWithTheSameConfigKeepsRuntimeChangesAndTheDisabledClient() throws Exception {
        List<ClientConfig> config = ClientsConf.load(CONF);
        SavedState s = PythonStateImport.read(PICKLE, secrets(config)).state();
        Instant soon = s.clients().get("gamma").created().plusSeconds(60);
        StateMerge.Result r = StateMerge.merge(s, config, soon);

        assertThat(r.clients()).extracting(c -> c.config().name()).containsExactly("alpha", "beta", "gamma");
        assertThat(r.removedAtRuntime()).containsExactly("delta");
        Map<String, ClientSnapshot> by = r.clients().stream()
                .collect(Collectors.toMap(c -> c.config().name(), StateMerge.RestoredClient::state));
        assertThat(by.get("beta").enabled()).isFalse();
        assertThat(by.get("gamma").timeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(by.get("alpha").runtimeSecret()).isNotNull();
    }

    @Test
    void aChangedConfigSecretDropsTheRuntimeSecretWithAWarning() throws Exception {
        StateStore.LoadedState loaded = PythonStateImport.read(PICKLE,
                name -> "another secret".getBytes(StandardCharsets.US_ASCII));
        assertThat(loaded.state().clients().get("alpha").runtimeSecret()).isNull();
        assertThat(loaded.warnings()).hasSize(3).allMatch(w -> w.contains("cannot be decrypted"));
    }

    @Test
    void aFileThatIsNotAStatePickleIsReported(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve(PythonStateImport.FILE_NAME);
        Files.write(junk, new byte[] {(byte) 0x80, 2, 'K', 5, '.'});  // pickle of the int 5
        assertThatThrownBy(() -> PythonStateImport.read(junk, n -> null))
                .isInstanceOf(StateCorruptException.class).hasMessageContaining(junk.toString());
        byte[] torn = Files.readAllBytes(PICKLE);
        Files.write(junk, java.util.Arrays.copyOf(torn, torn.length / 2));
        assertThatThrownBy(() -> PythonStateImport.read(junk, n -> null))
                .isInstanceOf(StateCorruptException.class);
    }
}
