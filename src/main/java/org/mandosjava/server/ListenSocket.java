package org.mandosjava.server;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Predicate;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.platform.InheritedSocket;
import org.mandosjava.zeroconf.InterfaceBinding;
import org.mandosjava.zeroconf.InterfaceBindingException;

/** Opens the listening socket the settings ask for (spec §9 "Listening socket"). */
public final class ListenSocket {
    /**
     * The original uses 5; a rack rebooting at once, or a flood of connects from one host, needs
     * room before accept() catches up: a connection the kernel drops here costs a real client a
     * one-second SYN retransmission. Linux caps it at net.core.somaxconn (4096 by default).
     */
    static final int BACKLOG = 4096;

    private ListenSocket() {}

    /**
     * A listening socket and which accepted connections to serve: with {@code --interface} but no
     * {@code --address}, only those that came in on that interface (see {@link InterfaceBinding}).
     */
    public record Listener(ServerSocket socket, Predicate<InetAddress> admits) {
        /** Admits every connection. */
        public static final Predicate<InetAddress> ANY = a -> true;

        /** A listener that serves every connection it accepts. */
        public static Listener unfiltered(ServerSocket socket) {
            return new Listener(socket, ANY);
        }

        /**
         * Whether accepted connections are checked: reading a connection's local address costs a
         * system call, which a listener that serves every connection does not make.
         */
        public boolean filters() {
            return admits != ANY;
        }
    }

    /** Opens and binds; the socket is listening when this returns. */
    public static Listener open(ServerSettings settings) throws IOException {
        if (settings.socket() != null) {
            if (!settings.address().isEmpty() || settings.port() != null) {
                throw new IOException("--socket cannot be combined with --address or --port: "
                        + "the inherited socket is already bound");
            }
            return Listener.unfiltered(InheritedSocket.adopt(settings.socket()).socket());
        }
        int port = settings.port() == null ? 0 : settings.port();
        InterfaceBinding binding;
        try {
            binding = InterfaceBinding.plan(settings.interfaceName(), settings.address(), settings.useIpv6(), port);
        } catch (InterfaceBindingException e) {
            throw new IOException(e.getMessage(), e);
        }
        InetSocketAddress endpoint = binding.bindAddress();
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(settings.port() != null);
            socket.bind(endpoint, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + describe(endpoint) + ": " + e.getMessage(), e);
        }
        return binding.filtersConnections() ? new Listener(socket, binding::admits) : Listener.unfiltered(socket);
    }

    static String describe(InetSocketAddress endpoint) {
        InetAddress a = endpoint.getAddress();
        String host = a instanceof Inet4Address ? a.getHostAddress() : "[" + a.getHostAddress() + "]";
        return host + ":" + endpoint.getPort();
    }
}
