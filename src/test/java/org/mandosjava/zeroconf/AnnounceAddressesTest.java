package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnnounceAddressesTest {
    static final InetAddress LOOPBACK6 = ip("::1");
    static final InetAddress ETH0_V4 = ip("192.0.2.10");
    static final InetAddress ETH0_GLOBAL = ip("2001:db8::10");
    static final InetAddress ETH0_LL = scoped("fe80::10", 2);
    static final InetAddress WLAN_LL = scoped("fe80::20", 3);
    static final InetAddress TUN_LL = scoped("fe80::30", 4);

    static final List<Link> LINKS = List.of(
            new Link("lo", 1, true, true, false, false, List.of(LOOPBACK6)),
            new Link("eth0", 2, true, false, true, false, List.of(ETH0_GLOBAL, ETH0_V4, ETH0_LL)),
            new Link("wlan0", 3, true, false, true, false, List.of(WLAN_LL)),
            new Link("tun0", 4, true, false, true, true, List.of(TUN_LL)),
            new Link("down0", 5, false, false, true, false, List.of(scoped("fe80::50", 5))),
            new Link("nomcast", 6, true, false, false, false, List.of(scoped("fe80::60", 6))));

    @Test
    void allInterfacesMeansEveryUpMulticastBroadcastLinkWithALinkLocalAddress() {
        assertThat(AnnounceAddresses.choose(LINKS, "", true)).containsExactly(ETH0_LL, WLAN_LL);
    }

    @Test
    void ipv4AnnouncesTheFirstIpv4AddressOfEachLinkThatHasOne() {
        assertThat(AnnounceAddresses.choose(LINKS, "", false)).containsExactly(ETH0_V4);
    }

    @Test
    void aNamedInterfaceIsTakenEvenIfNotFitForAllInterfaces() {
        assertThat(AnnounceAddresses.choose(LINKS, "tun0", true)).containsExactly(TUN_LL);
        assertThat(AnnounceAddresses.choose(LINKS, "eth0", true)).containsExactly(ETH0_LL);
    }

    @Test
    void nothingForAnUnknownInterfaceOrOneWithoutTheFamily() {
        assertThat(AnnounceAddresses.choose(LINKS, "eth9", true)).isEmpty();
        assertThat(AnnounceAddresses.choose(LINKS, "wlan0", false)).isEmpty();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Inet6Address scoped(String literal, int scope) {
        try {
            return Inet6Address.getByAddress(null, ip(literal).getAddress(), scope);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
