package org.mandosjava.zeroconf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the server listens when {@code --interface} is given, without {@code SO_BINDTODEVICE} (the JDK
 * has no way to set it). The original binds the socket to the device and then to {@code --address}
 * (or {@code ::}); we get the same effect for what matters — no client is served through another
 * interface — like this:
 *
 * <table>
 * <caption>Bind address and admission by option</caption>
 * <tr><th>--interface</th><th>--address</th><th>bind</th><th>connections admitted</th></tr>
 * <tr><td>none</td><td>none</td><td>{@code ::} / {@code 0.0.0.0}</td><td>all</td></tr>
 * <tr><td>none</td><td>A (not link-local)</td><td>A</td><td>all</td></tr>
 * <tr><td>none</td><td>fe80::…</td><td colspan="2">error: a link-local address needs an interface</td></tr>
 * <tr><td>IF</td><td>fe80::…</td><td>fe80::…%IF (the kernel enforces IF)</td><td>all</td></tr>
 * <tr><td>IF</td><td>A</td><td>A, which must be one of IF's addresses now</td><td>all</td></tr>
 * <tr><td>IF</td><td>none</td><td>{@code ::} / {@code 0.0.0.0}</td><td>those whose local address is one
 *     of IF's addresses at accept time ({@link #admits}); link-local ones only with IF's scope</td></tr>
 * </table>
 *
 * <p>Limits, compared with {@code SO_BINDTODEVICE}: (1) in the last row the kernel still completes the
 * TCP handshake for other interfaces' addresses; the server must check {@link #admits} on every
 * accepted socket and close the ones it rejects before reading anything; (2) Linux is a weak-host
 * system, so a packet for IF's global address that arrives through another interface is admitted
 * (SO_BINDTODEVICE would drop it); link-local addresses are exact, as their scope is the arrival
 * interface; (3) a fixed non-link-local address is checked once, at startup. The link-local case —
 * what booting clients use — is exactly as the original.
 */
public final class InterfaceBinding {
    /** IP literal characters; anything else would make {@link InetAddress#getByName} do a DNS lookup. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.@-]+)?");

    private final InetSocketAddress bindAddress;
    private final String filterInterface;
    private final LinkLookup lookup;

    /** Finds an interface by name; {@link Link#named} on a real system. */
    @FunctionalInterface
    public interface LinkLookup {
        Optional<Link> find(String name) throws SocketException;
    }

    private InterfaceBinding(InetSocketAddress bindAddress, String filterInterface, LinkLookup lookup) {
        this.bindAddress = bindAddress;
        this.filterInterface = filterInterface;
        this.lookup = lookup;
    }

    /**
     * Decides where to listen.
     *
     * @param interfaceName {@code --interface}, or "" for none
     * @param address {@code --address}, or "" for none; an IP literal
     * @param ipv6 false with {@code --no-ipv6}
     * @param port the port to bind, 0 for a kernel-chosen one
     * @throws InterfaceBindingException with a message fit for the user
     */
    public static InterfaceBinding plan(String interfaceName, String address, boolean ipv6, int port)
            throws InterfaceBindingException {
        return plan(interfaceName, address, ipv6, port, Link::named);
    }

    static InterfaceBinding plan(String interfaceName, String address, boolean ipv6, int port,
            LinkLookup lookup) throws InterfaceBindingException {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new InterfaceBindingException("Port out of range: " + port);
        }
        Optional<Link> link = interfaceName.isEmpty() ? Optional.empty()
                : Optional.of(find(lookup, interfaceName));
        if (address.isEmpty()) {
            InetSocketAddress wildcard = new InetSocketAddress(wildcard(ipv6), port);
            return new InterfaceBinding(wildcard, interfaceName, lookup);
        }
        InetAddress parsed = parse(address, ipv6);
        String scope = address.contains("%") ? address.substring(address.indexOf('%') + 1) : "";
        if (parsed instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
            if (link.isEmpty()) {
                if (scope.isEmpty()) {
                    throw new InterfaceBindingException("Link-local address " + address
                            + " needs --interface to say which link it is on");
                }
                link = Optional.of(find(lookup, scope));
            } else if (!scope.isEmpty() && !scope.equals(interfaceName)) {
                throw new InterfaceBindingException("Address " + address + " is scoped to another"
                        + " interface than --interface " + interfaceName);
            }
            return new InterfaceBinding(new InetSocketAddress(scoped(v6, link.get()), port), "", lookup);
        }
        if (!scope.isEmpty()) {
            throw new InterfaceBindingException("Only a link-local address can have a %scope: " + address);
        }
        if (link.isPresent() && link.get().addresses().stream().noneMatch(a -> sameAddress(a, parsed))) {
            throw new InterfaceBindingException("Address " + address + " is not on interface "
                    + interfaceName);
        }
        return new InterfaceBinding(new InetSocketAddress(parsed, port), "", lookup);
    }

    /** The socket address to bind the listening socket to. */
    public InetSocketAddress bindAddress() {
        return bindAddress;
    }

    /** Whether accepted connections must be checked with {@link #admits} (bound to all addresses of IF). */
    public boolean filtersConnections() {
        return !filterInterface.isEmpty();
    }

    /**
     * Whether a connection accepted with this local address came in through the chosen interface, as far
     * as can be told (see the class comment). Always true when {@link #filtersConnections()} is false.
     */
    public boolean admits(InetAddress localAddress) {
        if (filterInterface.isEmpty()) {
            return true;
        }
        Optional<Link> link;
        try {
            link = lookup.find(filterInterface);
        } catch (SocketException e) {
            return false;
        }
        return link.isPresent() && link.get().addresses().stream()
                .anyMatch(own -> sameAddress(own, localAddress)
                        && (!own.isLinkLocalAddress() || !(localAddress instanceof Inet6Address local)
                                || local.getScopeId() == 0 || local.getScopeId() == link.get().index()));
    }

    @Override
    public String toString() {
        return bindAddress + (filterInterface.isEmpty() ? "" : " (connections via " + filterInterface
                + " only)");
    }

    private static Link find(LinkLookup lookup, String name) throws InterfaceBindingException {
        try {
            return lookup.find(name).orElseThrow(() -> new InterfaceBindingException(
                    "No such network interface: " + name));
        } catch (SocketException e) {
            throw new InterfaceBindingException("Cannot look up network interface " + name + ": "
                    + e.getMessage());
        }
    }

    private static InetAddress wildcard(boolean ipv6) {
        try {
            return InetAddress.getByAddress(new byte[ipv6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress parse(String address, boolean ipv6) throws InterfaceBindingException {
        if (!IP_LITERAL.matcher(address).matches()) {
            throw new InterfaceBindingException("Not an IP address: " + address);
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address.contains("%")
                    ? address.substring(0, address.indexOf('%')) : address);
        } catch (UnknownHostException e) {
            throw new InterfaceBindingException("Not an IP address: " + address);
        }
        if (!ipv6 && parsed instanceof Inet6Address) {
            throw new InterfaceBindingException("IPv6 address " + address + " given with --no-ipv6");
        }
        return parsed;
    }

    private static Inet6Address scoped(Inet6Address address, Link link) throws InterfaceBindingException {
        try {
            return Inet6Address.getByAddress(null, address.getAddress(), link.index());
        } catch (UnknownHostException e) {
            throw new InterfaceBindingException("Bad link-local address " + address.getHostAddress());
        }
    }

    /** Equal addresses, ignoring IPv6 scope (a Link's link-local addresses carry theirs). */
    private static boolean sameAddress(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address)
                && java.util.Arrays.equals(a.getAddress(), b.getAddress());
    }
}
