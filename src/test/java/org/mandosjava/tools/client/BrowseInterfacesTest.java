package org.mandosjava.tools.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mandosjava.zeroconf.Link;

class BrowseInterfacesTest {
    static Link link(String name, boolean up, boolean loopback, boolean multicast, boolean pointToPoint) {
        return new Link(name, name.length(), up, loopback, multicast, pointToPoint, List.<InetAddress>of());
    }

    final Link lo = link("lo", true, true, false, false);
    final Link eth0 = link("eth0", true, false, true, false);
    final Link down = link("eth1", false, false, true, false);
    final Link tun = link("tun0", true, false, true, true);
    final Link noMulticast = link("wg0", true, false, false, false);
    final List<Link> system = List.of(lo, eth0, down, tun, noMulticast);
    final List<String> warnings = new ArrayList<>();

    @Test
    void byDefaultEveryInterfaceThatIsUpMulticastAndNotLoopbackOrPointToPoint() {
        assertThat(BrowseInterfaces.choose(List.of(), system, warnings::add)).containsExactly(eth0);
        assertThat(BrowseInterfaces.choose(List.of("none"), system, warnings::add)).containsExactly(eth0);
        assertThat(warnings).isEmpty();
    }

    @Test
    void namedInterfacesAreTakenAsGivenAndMissingOrDownOnesDroppedWithAWarning() {
        assertThat(BrowseInterfaces.choose(List.of("tun0", "none", "eth9", "eth1", "lo"), system, warnings::add))
                .containsExactly(tun, lo);
        assertThat(warnings).containsExactly("Interface \"eth9\" does not exist; ignoring it",
                "Interface \"eth1\" is down; ignoring it");
    }
}
