package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.ETH0_GLOBAL;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.ETH0_LL;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.ETH0_V4;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.LINKS;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.WLAN_LL;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.ip;
import static org.mandosjava.zeroconf.AnnounceAddressesTest.scoped;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class InterfaceBindingTest {
    private final List<Link> links = new ArrayList<>(LINKS);
    private final InterfaceBinding.LinkLookup lookup =
            name -> links.stream().filter(l -> l.name().equals(name)).findFirst();

    private InterfaceBinding plan(String iface, String address, boolean ipv6) throws Exception {
        return InterfaceBinding.plan(iface, address, ipv6, 47931, lookup);
    }

    @Test
    void noInterfaceNoAddressBindsTheWildcardOfTheFamily() throws Exception {
        InterfaceBinding v6 = plan("", "", true);
        assertThat(v6.bindAddress()).isEqualTo(new InetSocketAddress(ip("::"), 47931));
        assertThat(v6.filtersConnections()).isFalse();
        assertThat(v6.admits(ip("198.51.100.1"))).isTrue();
        assertThat(plan("", "", false).bindAddress()).isEqualTo(new InetSocketAddress(ip("0.0.0.0"), 47931));
    }

    @Test
    void aPlainAddressIsBoundAsGiven() throws Exception {
        assertThat(plan("", "2001:db8::10", true).bindAddress().getAddress()).isEqualTo(ETH0_GLOBAL);
        assertThat(plan("", "::FFFF:192.0.2.10", true).bindAddress().getAddress()).isEqualTo(ETH0_V4);
        assertThat(plan("", "192.0.2.10", false).bindAddress().getAddress()).isEqualTo(ETH0_V4);
    }

    @Test
    void aLinkLocalAddressNeedsAnInterface() {
        assertThatThrownBy(() -> plan("", "fe80::10", true))
                .isInstanceOf(InterfaceBindingException.class).hasMessageContaining("needs --interface");
    }

    @Test
    void aLinkLocalAddressIsScopedToTheInterfaceSoTheKernelEnforcesIt() throws Exception {
        InterfaceBinding binding = plan("eth0", "fe80::10", true);
        Inet6Address bound = (Inet6Address) binding.bindAddress().getAddress();
        assertThat(bound.getScopeId()).isEqualTo(2);
        assertThat(binding.filtersConnections()).isFalse();
        assertThat(((Inet6Address) plan("", "fe80::10%eth0", true).bindAddress().getAddress()).getScopeId())
                .isEqualTo(2);
    }

    @Test
    void aScopeThatContradictsTheInterfaceIsAnError() {
        assertThatThrownBy(() -> plan("eth0", "fe80::10%wlan0", true)).hasMessageContaining("another");
        assertThatThrownBy(() -> plan("", "2001:db8::10%eth0", true)).hasMessageContaining("link-local");
    }

    @Test
    void anInterfaceWithoutAddressBindsTheWildcardAndAdmitsOnlyItsOwnAddresses() throws Exception {
        InterfaceBinding binding = plan("eth0", "", true);
        assertThat(binding.bindAddress().getAddress()).isEqualTo(ip("::"));
        assertThat(binding.filtersConnections()).isTrue();
        assertThat(binding.admits(ETH0_GLOBAL)).isTrue();
        assertThat(binding.admits(ETH0_V4)).isTrue();
        assertThat(binding.admits(ETH0_LL)).isTrue();
        assertThat(binding.admits(WLAN_LL)).isFalse();
        assertThat(binding.admits(ip("::1"))).isFalse();
        // The same link-local address arriving with another interface's scope came in elsewhere.
        assertThat(binding.admits(scoped("fe80::10", 3))).isFalse();
    }

    @Test
    void admissionFollowsAddressChangesAfterStartup() throws Exception {
        InterfaceBinding binding = plan("wlan0", "", true);
        assertThat(binding.admits(ip("2001:db8::99"))).isFalse();
        links.replaceAll(l -> l.name().equals("wlan0") ? new Link("wlan0", 3, true, false, true, false,
                List.of(WLAN_LL, ip("2001:db8::99"))) : l);
        assertThat(binding.admits(ip("2001:db8::99"))).isTrue();
        links.removeIf(l -> l.name().equals("wlan0"));
        assertThat(binding.admits(WLAN_LL)).isFalse();
    }

    @Test
    void anAddressMustBeOnTheNamedInterface() throws Exception {
        assertThat(plan("eth0", "2001:db8::10", true).bindAddress().getAddress()).isEqualTo(ETH0_GLOBAL);
        assertThatThrownBy(() -> plan("wlan0", "2001:db8::10", true))
                .hasMessage("Address 2001:db8::10 is not on interface wlan0");
    }

    @Test
    void unknownInterfacesAndNonLiteralsAreClearErrors() {
        assertThatThrownBy(() -> plan("eth9", "", true)).hasMessage("No such network interface: eth9");
        assertThatThrownBy(() -> plan("", "mandos.example", true)).hasMessage("Not an IP address: mandos.example");
        assertThatThrownBy(() -> plan("", "::1", false)).hasMessageContaining("--no-ipv6");
        assertThatThrownBy(() -> InterfaceBinding.plan("", "", true, 70000, n -> Optional.empty()))
                .hasMessageContaining("Port");
    }
}
