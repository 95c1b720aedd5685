package org.mandosjava.control;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.MethodCall;
import org.mandosjava.server.Origin;

/**
 * Who makes a D-Bus call: the sender's unique bus name and, asked of the bus
 * ({@code GetConnectionUnixUser}), its Unix user, so that the audit trail says who changed what.
 * Calls that only read are not looked up. Unique names are never reused on a bus, so answers are
 * cached (the last {@link #CACHED} senders). Runs on the D-Bus reader thread only.
 */
final class Callers {
    private static final Logger LOG = Logger.getLogger(Callers.class.getName());
    static final int CACHED = 256;
    /** Members that change nothing: no round trip to the bus for them. */
    private static final Set<String> READ_ONLY = Set.of("Get", "GetAll", "Introspect", "GetManagedObjects",
            "Ping", "GetMachineId", "GetAllClients", "GetAllClientsWithProperties");

    private final BusConnection bus;
    private final Map<String, Long> uids = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CACHED;
        }
    };

    Callers(BusConnection bus) {
        this.bus = bus;
    }

    Origin originOf(MethodCall call) {
        String sender = call.getSource();
        if (sender == null) return Origin.SERVER;
        if (READ_ONLY.contains(call.getName())) return Origin.dbusCaller(sender, -1);
        Long uid = uids.get(sender);
        if (uid == null) {
            try {
                uid = bus.unixUser(sender);
            } catch (IOException | DBusException | RuntimeException e) {
                LOG.log(Level.FINE, "cannot learn the Unix user of " + sender, e);
                return Origin.dbusCaller(sender, -1);
            }
            uids.put(sender, uid);
        }
        return Origin.dbusCaller(sender, uid);
    }
}
