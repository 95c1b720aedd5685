package org.mandosjava.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.Decision;
import org.mandosjava.server.ManualScheduler;

class ClusterImportTest {
    @Test
    void aSingleServersStateBecomesTheClustersAndWhatTheStoreHasStays() throws Exception {
        MemoryStore store = new MemoryStore();
        ClientRegistry single = new ClientRegistry(List.of(TestServer.client("laptop", true),
                TestServer.client("desk", true), TestServer.client("old", true)),
                new ManualScheduler(TestServer.START), new CheckerRunner());
        single.disable("desk");
        single.setSecret("laptop", "rotated".getBytes(StandardCharsets.UTF_8));
        store.connect().commit(new SharedState.Cas("old", 0, new ClientRecord(false, false, null, null, null, 0, Map.of())));

        ClusterImport.Result result = ClusterImport.run(single.snapshot(), store.connect());

        assertThat(result.imported()).containsExactly("laptop", "desk");
        assertThat(result.present()).containsExactly("old");
        try (TestServer joined = new TestServer(store, "A", List.of(TestServer.client("laptop", true),
                TestServer.client("desk", true), TestServer.client("old", true)))) {
            assertThat(((Decision.Send) joined.request(TestServer.keyId("laptop"))).secret())
                    .isEqualTo("rotated".getBytes(StandardCharsets.UTF_8));
            assertThat(joined.request(TestServer.keyId("desk"))).isInstanceOf(Decision.Refuse.class);
            assertThat(joined.request(TestServer.keyId("old"))).as("the store's record stays").isInstanceOf(Decision.Refuse.class);
        }
    }
}
