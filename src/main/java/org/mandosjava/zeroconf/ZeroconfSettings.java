package org.mandosjava.zeroconf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * What to announce and how (spec §6.1).
 *
 * @param serviceName DNS-SD instance name, e.g. {@code Mandos}
 * @param port the port the server actually listens on
 * @param interfaceName announce only on this interface, or "" for all
 * @param ipv6 announce IPv6 addresses (Avahi protocol INET6); false: IPv4 (INET)
 * @param mode which announcer to use
 */
public record ZeroconfSettings(String serviceName, int port, String interfaceName, boolean ipv6, Mode mode) {

    public static final String SERVICE_TYPE = "_mandos._tcp";
    public static final String DEFAULT_SERVICE_NAME = "Mandos";
    /** DNS-SD instance names are one DNS label: at most 63 octets of UTF-8 (RFC 6763 §4.1.1). */
    public static final int MAX_NAME_OCTETS = 63;

    /** Which announcer to use. */
    public enum Mode {
        /** avahi-daemon if one is reachable on the D-Bus system bus, else the embedded responder. */
        AUTO,
        /** Only avahi-daemon, as the original server; failing to reach it is an error. */
        AVAHI,
        /** Only the embedded mDNS responder, even if avahi-daemon runs. */
        EMBEDDED;

        /** Parses {@code auto}, {@code avahi} or {@code embedded}, ignoring case. */
        public static Mode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Zeroconf mode must be auto, avahi or embedded, not '" + text + "'");
            }
        }
    }

    public ZeroconfSettings {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(mode, "mode");
        if (serviceName.isEmpty()) {
            throw new IllegalArgumentException("Zeroconf service name is empty");
        }
        if (serviceName.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_OCTETS) {
            throw new IllegalArgumentException(
                    "Zeroconf service name is longer than " + MAX_NAME_OCTETS + " bytes: " + serviceName);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Announce on all interfaces. */
    public boolean allInterfaces() {
        return interfaceName.isEmpty();
    }
}
