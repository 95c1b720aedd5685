package org.mandosjava.control;

import java.util.LinkedHashMap;
import java.util.Map;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.server.ClientStatus;

/** A client object's properties as GetAll, GetManagedObjects and InterfacesAdded present them. */
final class ClientViews {
    private ClientViews() {}

    /** Every interface of a client object with its properties (empty for the standard ones), as the original. */
    static Map<String, Map<String, Variant<?>>> interfaces(ClientStatus status, String path) {
        Map<String, Map<String, Variant<?>>> interfaces = new LinkedHashMap<>();
        interfaces.put(DBusNames.INTROSPECTABLE, Map.of());
        interfaces.put(DBusNames.PROPERTIES, Map.of());
        interfaces.put(DBusNames.CLIENT_INTERFACE, properties(status, path, DBusNames.CLIENT_INTERFACE));
        interfaces.put(DBusNames.OLD_CLIENT_INTERFACE, properties(status, path, DBusNames.OLD_CLIENT_INTERFACE));
        return interfaces;
    }

    /**
     * GetAll: every readable property (Secret is write-only) of {@code iface} ("" for any), in the
     * original's order, then ours.
     */
    static Map<String, Variant<?>> properties(ClientStatus status, String path, String iface) {
        Map<String, Variant<?>> properties = new LinkedHashMap<>();
        for (ClientProperty p : ClientProperty.ALL) {
            if (p.readable() && p.on(iface)) properties.put(p.dbusName, p.variant(status, path));
        }
        return properties;
    }
}
