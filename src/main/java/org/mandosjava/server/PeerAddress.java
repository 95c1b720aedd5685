package org.mandosjava.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses as the original prints them: compressed IPv6 (RFC 5952), IPv4 peers as ::ffff:a.b.c.d. */
public final class PeerAddress {
    private PeerAddress() {}

    /**
     * @param dualStack true when the listening socket is IPv6: the kernel then reports IPv4 peers as
     *     mapped addresses (which Java silently unmaps), and the original shows them so
     */
    public static String format(InetAddress address, boolean dualStack) {
        if (address instanceof Inet4Address) {
            return dualStack ? "::ffff:" + address.getHostAddress() : address.getHostAddress();
        }
        return compress((Inet6Address) address);
    }

    static String compress(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        // The longest run of two or more zero groups becomes "::" (the first, on a tie).
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            sb.append(Integer.toHexString(groups[i]));
            if (i < 7) sb.append(':');
        }
        String text = sb.toString();
        String scope = address.getScopedInterface() != null ? address.getScopedInterface().getName()
                : address.getScopeId() != 0 ? Integer.toString(address.getScopeId()) : null;
        return scope == null ? text : text + "%" + scope;
    }
}
