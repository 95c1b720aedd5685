package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private static List<BenchClient> clients(int n) {
        List<BenchClient> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new BenchClient("c" + i, null, new byte[0], BenchClient.source(i)));
        return list;
    }

    @Test
    void slotsHaveDisjointKeysCoveringAllClients() {
        List<BenchClient> all = clients(10);
        Set<String> seen = new HashSet<>();
        for (int slot = 0; slot < 4; slot++) {
            for (BenchClient c : LoadGenerator.slotKeys(all, 4, slot)) assertThat(seen.add(c.name())).isTrue();
        }
        assertThat(seen).hasSize(10);
        assertThat(LoadGenerator.slotKeys(all, 4, 1)).extracting(BenchClient::name).containsExactly("c1", "c5", "c9");
    }

    @Test
    void fewerClientsThanSlotsShare() {
        assertThat(LoadGenerator.slotKeys(clients(2), 4, 3)).extracting(BenchClient::name).containsExactly("c1");
    }

    @Test
    void everyMachineHasItsOwnLoopbackAddress() throws Exception {
        assertThat(BenchClient.source(0)).isEqualTo(InetAddress.getByName("127.0.1.1"));
        assertThat(BenchClient.source(249)).isEqualTo(InetAddress.getByName("127.0.1.250"));
        assertThat(BenchClient.source(250)).isEqualTo(InetAddress.getByName("127.0.2.1"));
        Set<InetAddress> distinct = new HashSet<>();
        for (int i = 0; i < 5001; i++) distinct.add(BenchClient.source(i));
        assertThat(distinct).hasSize(5001).allMatch(InetAddress::isLoopbackAddress);
    }

    @Test
    void scenarioOneRowsRunWithAKeyPerConnection() {
        assertThat(Compare.configuredFor(1, 64)).isEqualTo(64);
        assertThat(Compare.configuredFor(500, 64)).isEqualTo(500);
        assertThat(Compare.rowLabel(1, 64)).isEqualTo("1→64");
        assertThat(Compare.rowLabel(500, 64)).isEqualTo("500");
    }

    @Test
    void medianOfPairs() {
        assertThat(OperationsCost.median(new double[] {1.10, 0.98, 1.02})).isEqualTo(1.02);
        assertThat(OperationsCost.median(new double[] {1.0, 2.0})).isEqualTo(1.5);
        assertThat(OperationsCost.median(new double[] {1.0, Double.NaN})).isNaN();
    }
}
