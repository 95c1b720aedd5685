package org.mandosjava.zeroconf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the announcers and {@link InterfaceBinding} need to know of a network interface, as a value, so
 * the decisions built on it are testable without real interfaces.
 *
 * @param index kernel interface index ({@code if_nametoindex}), the Avahi interface number
 * @param addresses its addresses; IPv6 link-local ones carry the interface as scope
 */
public record Link(String name, int index, boolean up, boolean loopback, boolean multicast,
        boolean pointToPoint, List<InetAddress> addresses) {

    public Link {
        addresses = List.copyOf(addresses);
    }

    /** The interfaces the system has now. */
    public static List<Link> system() throws SocketException {
        List<Link> links = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            links.add(of(nif));
        }
        return links;
    }

    /** The named interface, if the system has it. */
    public static Optional<Link> named(String name) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        return nif == null ? Optional.empty() : Optional.of(of(nif));
    }

    private static Link of(NetworkInterface nif) throws SocketException {
        return new Link(nif.getName(), nif.getIndex(), nif.isUp(), nif.isLoopback(),
                nif.supportsMulticast(), nif.isPointToPoint(), Collections.list(nif.getInetAddresses()));
    }

    /** The first IPv6 link-local address, scoped to this interface. */
    public Optional<Inet6Address> linkLocal6() {
        return addresses.stream()
                .filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress())
                .map(a -> (Inet6Address) a)
                .findFirst();
    }

    /** The first IPv4 address. */
    public Optional<Inet4Address> ipv4() {
        return addresses.stream().filter(a -> a instanceof Inet4Address).map(a -> (Inet4Address) a)
                .findFirst();
    }
}
