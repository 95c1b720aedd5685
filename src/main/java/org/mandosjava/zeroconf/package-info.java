/**
 * Zeroconf (DNS-SD over mDNS): how booting clients find the server (spec §6).
 *
 * <p>{@link org.mandosjava.zeroconf.Zeroconf#start} announces {@code _mandos._tcp} under the configured
 * service name, on the port the server really listens on, with IPv6 (or IPv4) addresses, on one
 * interface or all, through one of two {@link org.mandosjava.zeroconf.ServiceAnnouncer}s:
 * <ul>
 * <li>{@link org.mandosjava.zeroconf.AvahiAnnouncer}: the system's avahi-daemon over the D-Bus system
 *     bus ({@code $DBUS_SYSTEM_BUS_ADDRESS} or {@code /run/dbus/system_bus_socket}), as the original;
 * <li>{@link org.mandosjava.zeroconf.EmbeddedAnnouncer}: our own responder (JmDNS) for hosts without
 *     avahi-daemon. Two responders cannot share a host's mDNS port cleanly, so it is only chosen
 *     automatically when no avahi-daemon is on the bus.
 * </ul>
 * Mode AUTO picks Avahi when avahi-daemon owns {@code org.freedesktop.Avahi} at startup, else the
 * embedded responder, and logs the choice. Collisions rename the service (Avahi: {@code Mandos #2};
 * JmDNS: {@code Mandos (2)}), logged at WARNING and reported to a
 * {@link org.mandosjava.zeroconf.RenameListener}.
 *
 * <p>In the server ({@code org.mandosjava.cli.ServerMain}): announcing starts once the socket listens,
 * with its real port, and is withdrawn before the server closes; {@code --no-zeroconf} turns it off,
 * {@code --servicename} names it, {@code --zeroconf-mode auto|avahi|embedded} forces an announcer. A
 * failure to announce at startup is fatal (exit 1), as D-Bus errors are in the original; later ones
 * (avahi-daemon failing or restarting) are logged and the service is announced again when avahi-daemon
 * is back, while clients using {@code --connect} go on being served.
 *
 * <p>{@code --interface} for listening: see {@link org.mandosjava.zeroconf.InterfaceBinding}, which
 * replaces the original's SO_BINDTODEVICE and documents where it differs.
 */
package org.mandosjava.zeroconf;
