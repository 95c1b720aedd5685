package org.mandosjava.control;

import java.util.List;

/** The names of the Mandos D-Bus API (spec §7), new and deprecated, and the error names clients see. */
final class DBusNames {
    private DBusNames() {}

    static final String BUS_NAME = "se.recompile.Mandos";
    static final String OLD_BUS_NAME = "se.bsnet.fukt.Mandos";
    /** Both are requested; the new one last, so systemd's {@code Type=dbus} readiness means "all set up". */
    static final List<String> BUS_NAMES = List.of(OLD_BUS_NAME, BUS_NAME);

    static final String SERVER_INTERFACE = "se.recompile.Mandos";
    static final String OLD_SERVER_INTERFACE = "se.bsnet.fukt.Mandos";
    static final List<String> SERVER_INTERFACES = List.of(SERVER_INTERFACE, OLD_SERVER_INTERFACE);
    static final String CLIENT_INTERFACE = "se.recompile.Mandos.Client";
    static final String OLD_CLIENT_INTERFACE = "se.bsnet.fukt.Mandos.Client";
    /** Signals are emitted once per name, new then old, as the original does. */
    static final List<String> CLIENT_INTERFACES = List.of(CLIENT_INTERFACE, OLD_CLIENT_INTERFACE);

    static final String PROPERTIES = "org.freedesktop.DBus.Properties";
    static final String INTROSPECTABLE = "org.freedesktop.DBus.Introspectable";
    static final String OBJECT_MANAGER = "org.freedesktop.DBus.ObjectManager";
    static final String PEER = "org.freedesktop.DBus.Peer";
    /** What InterfacesRemoved lists and GetManagedObjects maps for every client object. */
    static final List<String> CLIENT_OBJECT_INTERFACES =
            List.of(INTROSPECTABLE, PROPERTIES, CLIENT_INTERFACE, OLD_CLIENT_INTERFACE);

    static final String SERVER_PATH = "/";
    static final String CLIENTS_PATH = "/clients";

    // Error names of the original (dbus-python turns Python exception classes into these).
    static final String ERROR_PROPERTY_NOT_FOUND = "org.freedesktop.DBus.Python.DBusPropertyNotFound";
    static final String ERROR_PROPERTY_ACCESS = "org.freedesktop.DBus.Python.DBusPropertyAccessException";
    static final String ERROR_KEY = "org.freedesktop.DBus.Python.KeyError";
    // Standard names for what the original has no answer to.
    static final String ERROR_UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod";
    static final String ERROR_UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject";
    static final String ERROR_INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs";
    static final String ERROR_FAILED = "org.freedesktop.DBus.Error.Failed";
}
