package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;

/** Ten thousand clients with checkers are ten thousand timer entries, not ten thousand threads. */
class ManyClientsTest {
    @Test
    void tenThousandClientsWithCheckersAddNoThreadPerClient() {
        List<ClientConfig> configs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) configs.add(TestClients.client("c" + i, "K" + i, new byte[] {1}, true));
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        try (SystemScheduler scheduler = new SystemScheduler();
                ClientRegistry registry = new ClientRegistry(configs, scheduler, new FakeCheckerRunner())) {
            registry.start();
            int after = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(after - before).as("threads added for 10,000 clients").isLessThanOrEqualTo(2);
            assertThat(registry.statuses()).hasSize(10_000).allMatch(s -> s.expires() != null);
        }
    }
}
