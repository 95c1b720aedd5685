package org.mandosjava.zeroconf;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses the embedded responder announces on (one JmDNS instance each).
 *
 * <p>IPv6: the interface's link-local address, because a client booting from an initrd usually has
 * nothing else and Avahi-found fe80:: addresses are what it connects to. IPv4 ({@code --no-ipv6}): the
 * interface's first IPv4 address. With no {@code --interface}: every interface that is up, not
 * loopback, not point-to-point, multicast-capable and has such an address — the interfaces a
 * {@code mandos-client} could be browsing on.
 */
final class AnnounceAddresses {
    private AnnounceAddresses() {}

    static List<InetAddress> choose(List<Link> links, String interfaceName, boolean ipv6) {
        return links.stream()
                .filter(link -> interfaceName.isEmpty()
                        ? link.up() && !link.loopback() && !link.pointToPoint() && link.multicast()
                        : link.name().equals(interfaceName))
                .map(link -> address(link, ipv6))
                .flatMap(Optional::stream)
                .toList();
    }

    private static Optional<InetAddress> address(Link link, boolean ipv6) {
        return ipv6 ? link.linkLocal6().map(InetAddress.class::cast)
                : link.ipv4().map(InetAddress.class::cast);
    }
}
