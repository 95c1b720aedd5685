package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;

/** Store and merge together, as the server uses them across a crash. */
class RestartTest {
    @TempDir
    Path tmp;

    @Test
    void aClientDisabledBeforeACrashIsStillDisabledAfterIt() throws Exception {
        Path conf = Files.writeString(tmp.resolve("clients.conf"), """
                [DEFAULT]
                checker = true
                [up]
                secret = c2VjcmV0
                [down]
                secret = c2VjcmV0
                enabled = True
                """);
        List<ClientConfig> config = ClientsConf.load(conf);
        Map<String, byte[]> secrets = config.stream().collect(Collectors.toMap(ClientConfig::name, ClientConfig::secret));
        Instant start = Instant.parse("2026-11-26T10:00:00Z");

        StateStore store = StateStore.prepare(tmp.resolve("state"));
        Map<String, Map<String, String>> options = new LinkedHashMap<>();
        Map<String, ClientSnapshot> clients = new LinkedHashMap<>();
        for (ClientConfig c : config) {
            options.put(c.name(), c.options());
            clients.put(c.name(), ClientSnapshot.fresh(c, start).withExpires(start.plusSeconds(300)));
        }
        store.save(new SavedState(options, clients, start), secrets::get);
        // The checker failed and the client expired: disabled, saved before acting on it.
        clients.put("down", clients.get("down").withEnabled(false, start, null));
        store.save(new SavedState(options, clients, start.plusSeconds(300)), secrets::get);
        // Then SIGKILL in the middle of the next save: a torn temporary file is left behind.
        Files.write(store.directory().resolve(StateStore.FILE_NAME + ".tmp-99-1"), new byte[] {'m', 'a'});

        StateStore restarted = StateStore.prepare(tmp.resolve("state"));
        StateStore.LoadedState loaded = restarted.load(secrets::get).orElseThrow();
        assertThat(loaded.warnings()).isEmpty();
        Instant later = start.plusSeconds(3600);
        StateMerge.Result merged = StateMerge.merge(loaded.state(), ClientsConf.load(conf), later);
        Map<String, ClientSnapshot> byName = merged.clients().stream()
                .collect(Collectors.toMap(c -> c.config().name(), StateMerge.RestoredClient::state));
        assertThat(byName.get("down").enabled()).isFalse();
        // "up" also expired while the server was down, with no successful checker: disabled too.
        assertThat(byName.get("up").enabled()).isFalse();
        assertThat(merged.notes()).anyMatch(n -> n.contains("up") && n.contains("never had a successful checker"));
    }
}
