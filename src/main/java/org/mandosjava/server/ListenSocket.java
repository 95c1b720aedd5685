package org.mandosjava.server;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.platform.InheritedSocket;

/** Opens the listening socket the settings ask for (spec §9 "Listening socket"). */
public final class ListenSocket {
    /** The original uses 5; a rack rebooting at once needs more room before accept() catches up. */
    static final int BACKLOG = 512;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.%]+(%[\\w.-]+)?");

    private ListenSocket() {}

    /** Opens and binds; the socket is listening when this returns. */
    public static ServerSocket open(ServerSettings settings) throws IOException {
        if (settings.socket() != null) {
            ServerSocket inherited = InheritedSocket.adopt(settings.socket()).socket();
            if (!settings.address().isEmpty() || settings.port() != null) {
                throw new IOException("--socket cannot be combined with --address or --port: "
                        + "the inherited socket is already bound");
            }
            return inherited;
        }
        InetSocketAddress endpoint = endpoint(settings);
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(settings.port() != null);
            socket.bind(endpoint, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + describe(endpoint) + ": " + e.getMessage(), e);
        }
        return socket;
    }

    /** The address and port to bind, validated. */
    static InetSocketAddress endpoint(ServerSettings settings) throws IOException {
        int port = settings.port() == null ? 0 : settings.port();
        if (port < 0 || port > 65535) throw new IOException("port " + port + " is out of range");
        String text = settings.address();
        if (text.isEmpty()) {
            // "::" accepts IPv4 too (as ::ffff:a.b.c.d) unless net.ipv6.bindv6only is set, as in the original.
            String any = settings.useIpv6() ? "::" : "0.0.0.0";
            return new InetSocketAddress(InetAddress.getByName(any), port);
        }
        if (!IP_LITERAL.matcher(text).matches()) {
            throw new IOException("address '" + text + "' is not an IP address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IOException("address '" + text + "' is not an IP address");
        }
        if (!settings.useIpv6() && address instanceof Inet6Address) {
            throw new IOException("address '" + text + "' is IPv6, but IPv6 is turned off (--no-ipv6)");
        }
        if (address instanceof Inet6Address v6 && v6.isLinkLocalAddress() && v6.getScopeId() == 0
                && v6.getScopedInterface() == null) {
            if (settings.interfaceName().isEmpty()) {
                throw new IOException("link-local address '" + text + "' needs --interface");
            }
            NetworkInterface nif = NetworkInterface.getByName(settings.interfaceName());
            if (nif == null) {
                throw new IOException("no such network interface: " + settings.interfaceName());
            }
            address = Inet6Address.getByAddress(null, v6.getAddress(), nif);
        }
        return new InetSocketAddress(address, port);
    }

    static String describe(InetSocketAddress endpoint) {
        InetAddress a = endpoint.getAddress();
        String host = a instanceof Inet4Address ? a.getHostAddress() : "[" + a.getHostAddress() + "]";
        return host + ":" + endpoint.getPort();
    }
}
