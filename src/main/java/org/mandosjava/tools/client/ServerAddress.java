package org.mandosjava.tools.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The {@code --connect=ADDRESS:PORT} value: an IP address literal (no host names, as the original
 * uses {@code inet_pton}), IPv6 optionally in brackets and with a {@code %scope}, and a port.
 */
record ServerAddress(InetAddress address, int port) {
    private static final int MAX_PORT = 65535;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

    /** @throws IllegalArgumentException with the original client's message for bad values */
    static ServerAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("No colon in address");
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad port number");
        }
        if (port < 1 || port > MAX_PORT || !portText.matches("\\d+")) throw new IllegalArgumentException("Bad port number");
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException("Bad address: " + host);
        }
        try {
            return new ServerAddress(InetAddress.getByName(host), port); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Bad address: " + host);
        }
    }

    /**
     * A link-local IPv6 address without scope is reached through {@code interfaceName}, as the
     * original does when exactly one interface is given.
     */
    ServerAddress scopedTo(String interfaceName) {
        if (!(address instanceof Inet6Address v6) || !v6.isLinkLocalAddress() || v6.getScopeId() != 0
                || v6.getScopedInterface() != null) {
            return this;
        }
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) return this;
            // By index: scoping by interface object demands a link-local address on it in the JDK.
            return new ServerAddress(Inet6Address.getByAddress(null, v6.getAddress(), nic.getIndex()), port);
        } catch (SocketException | UnknownHostException e) {
            return this;
        }
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
