package org.mandosjava.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;

/**
 * The methods of the server object {@code /} (spec §7.2): ObjectManager, the Mandos server interface
 * under both names (AddClient only under the current one), and read-only server properties.
 */
final class ServerObject {
    private static final Logger LOG = Logger.getLogger(ServerObject.class.getName());

    private final ClientRegistry registry;
    private final ExportedClients exported;
    private final MandosDBus.ServerInfo info;

    ServerObject(ClientRegistry registry, ExportedClients exported, MandosDBus.ServerInfo info) {
        this.registry = registry;
        this.exported = exported;
        this.info = info;
    }

    List<Member> members() {
        List<Member> members = new ArrayList<>();
        members.add(new Member(DBusNames.OBJECT_MANAGER, "GetManagedObjects", "", call -> managedObjects()));
        members.add(new Member(DBusNames.PROPERTIES, "Get", "ss", this::getProperty));
        members.add(new Member(DBusNames.PROPERTIES, "Set", "ssv", this::setProperty));
        members.add(new Member(DBusNames.PROPERTIES, "GetAll", "s", this::getAllProperties));
        members.addAll(Member.onEach(DBusNames.SERVER_INTERFACES, "GetAllClients", "", call -> allClients()));
        members.addAll(Member.onEach(DBusNames.SERVER_INTERFACES, "GetAllClientsWithProperties", "",
                call -> allClientsWithProperties()));
        members.addAll(Member.onEach(DBusNames.SERVER_INTERFACES, "RemoveClient", "o", this::removeClient));
        members.add(new Member(DBusNames.SERVER_INTERFACE, "AddClient", "sa{ss}", this::addClient));
        return members;
    }

    private Reply managedObjects() {
        Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects = new LinkedHashMap<>();
        for (ClientStatus status : registry.statuses()) {
            String path = exported.pathOf(status.name());
            if (path != null) objects.put(new DBusPath(path), ClientViews.interfaces(status, path));
        }
        return new Reply("a{oa{sa{sv}}}", objects);
    }

    private Reply allClients() {
        List<DBusPath> all = new ArrayList<>();
        for (ClientStatus status : registry.statuses()) {
            String path = exported.pathOf(status.name());
            if (path != null) all.add(new DBusPath(path));
        }
        return new Reply("ao", all);
    }

    private Reply allClientsWithProperties() {
        Map<DBusPath, Map<String, Variant<?>>> all = new LinkedHashMap<>();
        for (ClientStatus status : registry.statuses()) {
            String path = exported.pathOf(status.name());
            // A deprecated method: the original's properties, as the original returns them.
            if (path != null) {
                all.put(new DBusPath(path), ClientViews.properties(status, path, DBusNames.OLD_CLIENT_INTERFACE));
            }
        }
        return new Reply("a{oa{sv}}", all);
    }

    private Reply removeClient(Member.Call call) throws DBusError {
        String path = call.args()[0] instanceof DBusPath p ? p.getPath() : String.valueOf(call.args()[0]);
        String name = exported.nameAt(path);
        if (name == null || !registry.remove(name)) {
            throw new DBusError(DBusNames.ERROR_KEY, "'" + path + "'");
        }
        return Reply.NONE;
    }

    /**
     * Registers a new client. The registry's {@code add} is the one place that makes an addition
     * last across restarts.
     */
    private Reply addClient(Member.Call call) throws DBusError {
        String name = (String) call.args()[0];
        ClientConfig config = AddedClientConfig.parse(name, stringMap(call.args()[1]));
        try {
            registry.add(config);
        } catch (IllegalArgumentException e) {
            throw new DBusError(DBusNames.ERROR_INVALID_ARGS, e.getMessage());
        }
        LOG.info("Added client " + name + " over D-Bus");
        String path = exported.pathOf(name);
        if (path == null) throw new DBusError(DBusNames.ERROR_FAILED, "client " + name + " vanished at once");
        return new Reply("o", new DBusPath(path));
    }

    private static Map<String, String> stringMap(Object arg) throws DBusError {
        if (!(arg instanceof Map<?, ?> map)) throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "options must be a{ss}");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        return out;
    }

    // ---------------------------------------------------------------- org.freedesktop.DBus.Properties on /

    private Map<String, Variant<?>> properties() {
        Map<String, Variant<?>> all = new LinkedHashMap<>();
        all.put("Address", new Variant<>(info.address(), "s"));
        all.put("Port", new Variant<>(new UInt16(info.port()), "q"));
        all.put("Interface", new Variant<>(info.interfaceName(), "s"));
        all.put("ServiceName", new Variant<>(info.serviceName(), "s"));
        all.put("ClientCount", new Variant<>(new UInt32(exported.count()), "u"));
        if (info.cluster() != null) {
            all.put("ClusterStatus", new Variant<>(info.cluster().status().get(), "s"));
            all.put("ClusterStoreReachable", new Variant<>(info.cluster().storeReachable().getAsBoolean(), "b"));
        }
        return all;
    }

    private Reply getProperty(Member.Call call) throws DBusError {
        String iface = (String) call.args()[0];
        String name = (String) call.args()[1];
        Variant<?> value = serverInterface(iface) ? properties().get(name) : null;
        if (value == null) throw new DBusError(DBusNames.ERROR_PROPERTY_NOT_FOUND, "/:" + iface + "." + name);
        return new Reply("v", value);
    }

    private Reply getAllProperties(Member.Call call) {
        return new Reply("a{sv}", serverInterface((String) call.args()[0]) ? properties() : Map.of());
    }

    private Reply setProperty(Member.Call call) throws DBusError {
        String iface = (String) call.args()[0];
        String name = (String) call.args()[1];
        if (serverInterface(iface) && properties().containsKey(name)) {
            throw new DBusError(DBusNames.ERROR_PROPERTY_ACCESS, "Property \"" + name + "\" is not writable");
        }
        throw new DBusError(DBusNames.ERROR_PROPERTY_NOT_FOUND, "/:" + iface + "." + name);
    }

    private static boolean serverInterface(String iface) {
        return iface.isEmpty() || iface.equals(DBusNames.SERVER_INTERFACE);
    }
}
