package org.mandosjava.zeroconf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;

/** Where the D-Bus system bus is, and whether avahi-daemon is on it. */
final class SystemBus {
    private static final Logger LOG = Logger.getLogger(SystemBus.class.getName());

    static final String ADDRESS_VARIABLE = "DBUS_SYSTEM_BUS_ADDRESS";
    static final Path DEFAULT_SOCKET = Path.of("/run/dbus/system_bus_socket");

    /**
     * dbus-java reports every connection's transport at INFO; that is noise in the server's log. Held
     * here because java.util.logging keeps loggers only weakly.
     */
    private static final Logger DBUS_JAVA_LOG = Logger.getLogger("org.freedesktop.dbus");

    static {
        if (DBUS_JAVA_LOG.getLevel() == null) {
            DBUS_JAVA_LOG.setLevel(Level.WARNING);
        }
    }

    private SystemBus() {}

    /**
     * The system bus address as libdbus finds it: {@code $DBUS_SYSTEM_BUS_ADDRESS}, else the
     * well-known socket if it exists; empty when there is evidently no system bus.
     */
    static Optional<String> address(Map<String, String> environment, Predicate<Path> exists) {
        String fromEnvironment = environment.get(ADDRESS_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment.trim());
        }
        return exists.test(DEFAULT_SOCKET)
                ? Optional.of("unix:path=" + DEFAULT_SOCKET)
                : Optional.empty();
    }

    static Optional<String> address() {
        return address(System.getenv(), Files::exists);
    }

    /** The socket file of a {@code unix:path=…} address (the first, if several are listed). */
    static Optional<Path> socketPath(String address) {
        String first = address.split(";", 2)[0];
        if (!first.startsWith("unix:")) {
            return Optional.empty();
        }
        for (String part : first.substring("unix:".length()).split(",")) {
            if (part.startsWith("path=")) {
                return Optional.of(Path.of(part.substring("path=".length())));
            }
        }
        return Optional.empty();
    }

    static DBusConnection connect(String address) throws DBusException {
        Optional<Path> socket = socketPath(address);
        if (socket.isPresent() && !Files.exists(socket.get())) {
            // dbus-java retries a missing socket for seconds; the answer is already known.
            throw new DBusException("no D-Bus socket at " + socket.get());
        }
        return DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }

    /** Whether avahi-daemon currently owns its name on the system bus; false if the bus is unreachable. */
    static boolean avahiReachable() {
        return avahiReachable(address());
    }

    static boolean avahiReachable(Optional<String> address) {
        if (address.isEmpty()) {
            LOG.fine("No D-Bus system bus: neither $" + ADDRESS_VARIABLE + " nor " + DEFAULT_SOCKET);
            return false;
        }
        try (DBusConnection bus = connect(address.get())) {
            DBus daemon = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class,
                    false);
            return daemon.NameHasOwner(AvahiDbus.BUS_NAME);
        } catch (DBusException | DBusExecutionException | java.io.IOException e) {
            LOG.log(Level.FINE, "D-Bus system bus at " + address.get() + " not usable", e);
            return false;
        }
    }
}
