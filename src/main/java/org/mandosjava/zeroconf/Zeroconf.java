package org.mandosjava.zeroconf;

import java.net.SocketException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the announcer the settings ask for (see {@link ZeroconfSettings.Mode}). */
public final class Zeroconf {
    private static final Logger LOG = Logger.getLogger(Zeroconf.class.getName());

    private Zeroconf() {}

    public static ServiceAnnouncer start(ZeroconfSettings settings) throws ZeroconfException {
        return start(settings, RenameListener.NONE);
    }

    /**
     * Announces the service until the returned announcer is closed.
     *
     * @throws ZeroconfException if the chosen announcer cannot start or the first announcement fails
     */
    public static ServiceAnnouncer start(ZeroconfSettings settings, RenameListener renameListener)
            throws ZeroconfException {
        int iface = avahiInterface(settings);
        ZeroconfSettings.Mode mode = choose(settings.mode());
        return switch (mode) {
            case AVAHI -> {
                String address = SystemBus.address().orElseThrow(() -> new ZeroconfException(
                        "No D-Bus system bus for avahi-daemon: set $" + SystemBus.ADDRESS_VARIABLE
                                + " or start the bus at " + SystemBus.DEFAULT_SOCKET));
                yield AvahiAnnouncer.start(address, settings, iface, renameListener);
            }
            case EMBEDDED -> {
                try {
                    yield EmbeddedAnnouncer.start(settings,
                            AnnounceAddresses.choose(Link.system(), settings.interfaceName(), settings.ipv6()),
                            renameListener);
                } catch (SocketException e) {
                    throw new ZeroconfException("Cannot list network interfaces: " + e.getMessage(), e);
                }
            }
            case AUTO -> throw new AssertionError("AUTO is resolved by choose()");
        };
    }

    private static ZeroconfSettings.Mode choose(ZeroconfSettings.Mode requested) {
        if (requested != ZeroconfSettings.Mode.AUTO) {
            LOG.log(Level.INFO, "Zeroconf: using {0} (as configured)", describe(requested));
            return requested;
        }
        ZeroconfSettings.Mode chosen = SystemBus.avahiReachable()
                ? ZeroconfSettings.Mode.AVAHI : ZeroconfSettings.Mode.EMBEDDED;
        LOG.log(Level.INFO, "Zeroconf: using {0}", describe(chosen)
                + (chosen == ZeroconfSettings.Mode.EMBEDDED ? " (no avahi-daemon on the D-Bus system bus)" : ""));
        return chosen;
    }

    private static String describe(ZeroconfSettings.Mode mode) {
        return mode == ZeroconfSettings.Mode.AVAHI ? "avahi-daemon over D-Bus" : "embedded mDNS responder";
    }

    /** Avahi's interface number: the kernel index of {@code --interface}, or "unspecified". */
    private static int avahiInterface(ZeroconfSettings settings) throws ZeroconfException {
        if (settings.allInterfaces()) {
            return AvahiDbus.IF_UNSPEC;
        }
        try {
            Optional<Link> link = Link.named(settings.interfaceName());
            return link.orElseThrow(() -> new ZeroconfException(
                    "No such network interface: " + settings.interfaceName())).index();
        } catch (SocketException e) {
            throw new ZeroconfException("Cannot look up interface " + settings.interfaceName(), e);
        }
    }
}
