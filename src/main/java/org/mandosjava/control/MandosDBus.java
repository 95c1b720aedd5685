package org.mandosjava.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.ServerEventListener;

/**
 * The Mandos D-Bus API (spec §7) over a {@link ClientRegistry}: the server object {@code /} and one
 * object per client (paths: {@link ClientPaths}), under both bus names and both interface names.
 * Reads come from registry snapshots; writes are registry calls; signals come from the registry's
 * events, in their order.
 *
 * <p>Beyond the original: {@code AddClient(s name, a{ss} options) → o} on {@code se.recompile.Mandos}
 * (options as a clients.conf section: {@link AddedClientConfig}), and read-only server properties
 * {@code Address, Port, Interface, ServiceName, ClientCount} on {@code /} through
 * {@code org.freedesktop.DBus.Properties}.
 *
 * <p>Threads: one reader thread answers method calls; registry events arrive on whichever thread
 * made the change. The path and last-value tables are guarded by {@link #state}, which is never held
 * while calling the registry (whose event delivery calls back here).
 */
public final class MandosDBus implements ServerEventListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MandosDBus.class.getName());
    /** dbus-java logs at INFO what we do not want in the server's log (transport chosen, etc.). */
    private static final Logger DBUS_JAVA_LOG = Logger.getLogger("org.freedesktop.dbus");
    private static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    private static final List<Path> MACHINE_ID_FILES = List.of(Path.of("/etc/machine-id"),
            Path.of("/var/lib/dbus/machine-id"));
    private static final int NO_REPLY_EXPECTED = 0x1;
    /** A call without an interface name is routed by its member name; these are the Properties ones. */
    private static final Set<String> PROPERTY_METHODS = Set.of("Get", "Set", "GetAll");

    /** What the server properties on {@code /} report. */
    public record ServerInfo(String address, int port, String interfaceName, String serviceName) {}

    /** The bus or its names could not be had; the server goes on without D-Bus (spec §7.1). */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ClientRegistry registry;
    private final ServerInfo info;
    private final BusConnection bus;
    private final Object state = new Object();
    private final ClientPaths paths = new ClientPaths();
    private final Map<String, Map<ClientProperty, Object>> lastValues = new HashMap<>();
    private Thread reader;
    private volatile boolean closing;

    private MandosDBus(ClientRegistry registry, ServerInfo info, BusConnection bus) {
        this.registry = registry;
        this.info = info;
        this.bus = bus;
    }

    /** {@code DBUS_SYSTEM_BUS_ADDRESS}, else the standard system bus socket. */
    public static String systemBusAddress() {
        String address = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return address == null || address.isBlank() ? DEFAULT_SYSTEM_BUS : address;
    }

    /**
     * Connects, exports every client of {@code registry} (announcing each with InterfacesAdded and
     * ClientAdded, as the original does at startup), takes both bus names and starts answering.
     */
    public static MandosDBus start(ClientRegistry registry, ServerInfo info, String busAddress)
            throws UnavailableException {
        DBUS_JAVA_LOG.setLevel(Level.WARNING);
        BusConnection bus;
        try {
            bus = BusConnection.open(busAddress);
        } catch (IOException | DBusException | RuntimeException e) {
            throw new UnavailableException("cannot connect to the bus at " + busAddress + ": " + e.getMessage(), e);
        }
        MandosDBus service = new MandosDBus(registry, info, bus);
        try {
            registry.addListener(service);
            registry.setObjectPaths(service::pathOf); // for %(dbus_object_path)s in checkers
            // Objects first (readiness, for systemd's Type=dbus, is the last name taken), then the names,
            // then the announcements, which listeners matching on our name can only hear from then on.
            List<String> exported = new ArrayList<>();
            for (ClientStatus status : registry.statuses()) {
                if (service.export(status)) exported.add(status.name());
            }
            for (String name : DBusNames.BUS_NAMES) {
                if (!bus.requestName(name)) {
                    throw new UnavailableException("the bus name " + name + " is taken", null);
                }
            }
            for (String name : exported) service.announceAdded(name);
        } catch (IOException | DBusException | RuntimeException e) {
            service.closing = true;
            bus.close();
            throw new UnavailableException("cannot register on the bus: " + e.getMessage(), e);
        } catch (UnavailableException e) {
            service.closing = true;
            bus.close();
            throw e;
        }
        service.reader = Thread.ofPlatform().daemon().name("mandos-dbus").start(service::serve);
        return service;
    }

    private void serve() {
        try {
            bus.serve(this::handle);
        } catch (IOException | DBusException | RuntimeException e) {
            if (!closing) LOG.log(Level.WARNING, "D-Bus connection lost; going on without D-Bus", e);
        }
        closing = true;
    }

    /** Announces every client as removed (as the original does at exit), gives up the names, disconnects. */
    @Override
    public void close() {
        if (closing) { // the connection was lost already: nothing to withdraw or release
            bus.close();
            return;
        }
        List<String> names;
        synchronized (state) {
            names = new ArrayList<>(lastValues.keySet());
        }
        for (String name : names) clientRemoved(name);
        closing = true;
        for (String name : DBusNames.BUS_NAMES) {
            try {
                bus.releaseName(name);
            } catch (IOException | DBusException e) {
                break; // leaving anyway: the bus frees our names when we disconnect
            }
        }
        bus.close();
        if (reader != null) {
            try {
                reader.join(BusConnection.CALL_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- events → signals

    @Override
    public void onEvent(ServerEvent event) {
        if (closing) return;
        switch (event) {
            case ServerEvent.SecretSent e -> clientSignal(e.clientName(), "GotSecret", null);
            case ServerEvent.ClientNotFound e -> serverSignal("ClientNotFound", "ss", e.keyId(), e.address());
            case ServerEvent.Rejected e -> clientSignal(e.clientName(), "Rejected", "s", e.reason());
            case ServerEvent.NeedApproval e -> clientSignal(e.clientName(), "NeedApproval", "tb",
                    new UInt64(DBusValues.millis(e.timeout())), e.approvedByDefault());
            case ServerEvent.CheckerStarted e -> clientSignal(e.clientName(), "CheckerStarted", "s", e.command());
            case ServerEvent.CheckerCompleted e -> clientSignal(e.clientName(), "CheckerCompleted", "nxs",
                    (short) e.exitCode(), e.waitStatus(), e.command());
            case ServerEvent.PropertiesChanged e -> propertiesChanged(e.clientName(), e.properties());
            case ServerEvent.ClientAdded e -> clientAdded(e.clientName());
            case ServerEvent.ClientRemoved e -> clientRemoved(e.clientName());
        }
    }

    private void clientAdded(String name) {
        Optional<ClientStatus> status = registry.status(name);
        if (status.isPresent() && export(status.get())) announceAdded(name);
    }

    /** Gives a client its object; false if it has one already. */
    private boolean export(ClientStatus status) {
        synchronized (state) {
            if (paths.pathOf(status.name()) != null) return false;
            String path = paths.assign(status.name());
            Map<ClientProperty, Object> values = new HashMap<>();
            for (ClientProperty p : ClientProperty.ALL) {
                if (p.readable()) values.put(p, p.value(status, path));
            }
            lastValues.put(status.name(), values);
            return true;
        }
    }

    /** InterfacesAdded and ClientAdded for an exported client, as the original at startup and on AddClient. */
    private void announceAdded(String name) {
        Optional<ClientStatus> status = registry.status(name);
        String path = pathOf(name);
        if (status.isEmpty() || path == null) return;
        signal(DBusNames.SERVER_PATH, DBusNames.OBJECT_MANAGER, "InterfacesAdded", "oa{sa{sv}}",
                new DBusPath(path), clientInterfaces(status.get(), path));
        serverSignal("ClientAdded", "o", new DBusPath(path));
        clientCountChanged();
    }

    private void clientRemoved(String name) {
        String path;
        synchronized (state) {
            path = paths.pathOf(name);
            if (path == null) return;
            paths.release(name);
            lastValues.remove(name);
        }
        signal(DBusNames.SERVER_PATH, DBusNames.OBJECT_MANAGER, "InterfacesRemoved", "oas",
                new DBusPath(path), DBusNames.CLIENT_OBJECT_INTERFACES);
        serverSignal("ClientRemoved", "os", new DBusPath(path), name);
        clientCountChanged();
    }

    private void clientCountChanged() {
        if (closing) return;
        Map<String, Variant<?>> changed = Map.of("ClientCount", new Variant<>(new UInt32(clientCount()), "u"));
        signal(DBusNames.SERVER_PATH, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as",
                DBusNames.SERVER_INTERFACE, changed, List.of());
    }

    /**
     * For each property whose value really changed since last announced: PropertyChanged on both
     * client interfaces, then one PropertiesChanged on the current one (spec §7.3). Secret has no
     * readable value: it is only named as invalidated.
     */
    private void propertiesChanged(String name, Set<String> names) {
        Optional<ClientStatus> status = registry.status(name);
        if (status.isEmpty()) return;
        String path;
        List<ClientProperty> changed = new ArrayList<>();
        boolean secret = false;
        synchronized (state) {
            path = paths.pathOf(name);
            Map<ClientProperty, Object> last = lastValues.get(name);
            if (path == null || last == null) return;
            for (ClientProperty p : ClientProperty.ALL) {
                if (!names.contains(p.dbusName)) continue;
                if (p == ClientProperty.SECRET) {
                    secret = true;
                } else if (p.readable() && p.emits == ClientProperty.Emits.TRUE) {
                    Object value = p.value(status.get(), path);
                    if (!Objects.equals(last.get(p), value)) {
                        last.put(p, value);
                        changed.add(p);
                    }
                }
            }
        }
        for (ClientProperty p : changed) {
            Variant<?> value = p.variant(status.get(), path);
            for (String iface : DBusNames.CLIENT_INTERFACES) {
                signal(path, iface, "PropertyChanged", "sv", p.dbusName, value);
            }
            signal(path, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as", DBusNames.CLIENT_INTERFACE,
                    Map.of(p.dbusName, value), List.of());
        }
        if (secret) {
            signal(path, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as", DBusNames.CLIENT_INTERFACE,
                    Map.<String, Variant<?>>of(), List.of(ClientProperty.SECRET.dbusName));
        }
    }

    private void clientSignal(String name, String member, String signature, Object... args) {
        String path;
        synchronized (state) {
            path = paths.pathOf(name);
        }
        if (path == null) return;
        for (String iface : DBusNames.CLIENT_INTERFACES) signal(path, iface, member, signature, args);
    }

    private void serverSignal(String member, String signature, Object... args) {
        for (String iface : DBusNames.SERVER_INTERFACES) {
            signal(DBusNames.SERVER_PATH, iface, member, signature, args);
        }
    }

    private void signal(String path, String iface, String member, String signature, Object... args) {
        try {
            bus.send(bus.factory().createSignal(null, path, iface, member, signature, args));
        } catch (IOException | DBusException | RuntimeException e) {
            if (!closing) LOG.log(Level.WARNING, "cannot emit D-Bus signal " + iface + "." + member, e);
        }
    }

    // ---------------------------------------------------------------- method calls

    /** A method's answer: its signature (null for none) and values. */
    private record Reply(String signature, Object... values) {
        static final Reply NONE = new Reply(null);
    }

    private void handle(Message message) {
        if (!(message instanceof MethodCall call)) return;
        Message answer;
        try {
            Reply reply = dispatch(call);
            if ((call.getFlags() & NO_REPLY_EXPECTED) != 0) return;
            answer = bus.factory().createMethodReturn(call, reply.signature(), reply.values());
        } catch (DBusError e) {
            answer = error(call, e.name(), e.getMessage());
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.WARNING, "D-Bus call " + call.getInterface() + "." + call.getName() + " on "
                    + call.getPath() + " failed", e);
            answer = error(call, DBusNames.ERROR_FAILED, String.valueOf(e.getMessage()));
        }
        if (answer == null || (call.getFlags() & NO_REPLY_EXPECTED) != 0) return;
        try {
            bus.send(answer);
        } catch (IOException e) {
            if (!closing) LOG.log(Level.FINE, "cannot answer a D-Bus call", e);
        }
    }

    private Message error(MethodCall call, String name, String text) {
        try {
            return bus.factory().createError(null, call.getSource(), name, call.getSerial(), "s", text);
        } catch (DBusException e) {
            LOG.log(Level.WARNING, "cannot make a D-Bus error reply", e);
            return null;
        }
    }

    private Reply dispatch(MethodCall call) throws DBusError, DBusException {
        String path = call.getPath();
        String iface = call.getInterface();
        String member = call.getName();
        Object[] args = call.getParameters();
        if (args == null) args = new Object[0];
        String signature = call.getSig() == null ? "" : call.getSig();

        if (is(iface, DBusNames.PEER) && member.equals("Ping") && signature.isEmpty()) return Reply.NONE;
        if (is(iface, DBusNames.PEER) && member.equals("GetMachineId") && signature.isEmpty()) {
            return new Reply("s", machineId());
        }
        if (is(iface, DBusNames.INTROSPECTABLE) && member.equals("Introspect") && signature.isEmpty()) {
            return new Reply("s", introspect(path));
        }
        if (DBusNames.SERVER_PATH.equals(path)) return serverMethod(iface, member, signature, args);
        String client;
        synchronized (state) {
            client = paths.nameAt(path);
        }
        if (client == null) {
            throw new DBusError(DBusNames.ERROR_UNKNOWN_OBJECT, "No such object path '" + path + "'");
        }
        return clientMethod(client, path, iface, member, signature, args);
    }

    private String introspect(String path) throws DBusError {
        if (DBusNames.SERVER_PATH.equals(path)) return Introspection.server();
        synchronized (state) {
            if (DBusNames.CLIENTS_PATH.equals(path)) {
                List<String> children = new ArrayList<>();
                for (String name : lastValues.keySet()) children.add(paths.pathOf(name));
                children.sort(null);
                return Introspection.clientsNode(children);
            }
            if (paths.nameAt(path) != null) return Introspection.client(path);
        }
        throw new DBusError(DBusNames.ERROR_UNKNOWN_OBJECT, "No such object path '" + path + "'");
    }

    private Reply serverMethod(String iface, String member, String signature, Object[] args) throws DBusError {
        if (is(iface, DBusNames.OBJECT_MANAGER) && member.equals("GetManagedObjects") && signature.isEmpty()) {
            Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects = new LinkedHashMap<>();
            for (ClientStatus status : registry.statuses()) {
                String path = pathOf(status.name());
                if (path != null) objects.put(new DBusPath(path), clientInterfaces(status, path));
            }
            return new Reply("a{oa{sa{sv}}}", objects);
        }
        if (is(iface, DBusNames.PROPERTIES) && PROPERTY_METHODS.contains(member)) {
            return serverProperties(member, signature, args);
        }
        boolean current = is(iface, DBusNames.SERVER_INTERFACE);
        if (current || is(iface, DBusNames.OLD_SERVER_INTERFACE)) {
            switch (member + "(" + signature + ")") {
                case "RemoveClient(o)" -> {
                    String path = objectPath(args[0]);
                    String name;
                    synchronized (state) {
                        name = paths.nameAt(path);
                    }
                    if (name == null || !registry.remove(name)) {
                        throw new DBusError(DBusNames.ERROR_KEY, "'" + path + "'");
                    }
                    return Reply.NONE;
                }
                case "GetAllClients()" -> {
                    List<DBusPath> all = new ArrayList<>();
                    for (ClientStatus status : registry.statuses()) {
                        String path = pathOf(status.name());
                        if (path != null) all.add(new DBusPath(path));
                    }
                    return new Reply("ao", all);
                }
                case "GetAllClientsWithProperties()" -> {
                    Map<DBusPath, Map<String, Variant<?>>> all = new LinkedHashMap<>();
                    for (ClientStatus status : registry.statuses()) {
                        String path = pathOf(status.name());
                        if (path != null) all.put(new DBusPath(path), clientProperties(status, path));
                    }
                    return new Reply("a{oa{sv}}", all);
                }
                case "AddClient(sa{ss})" -> {
                    if (!current && iface != null) break;
                    return new Reply("o", new DBusPath(addClient((String) args[0], stringMap(args[1]))));
                }
                default -> { }
            }
        }
        throw unknownMethod(iface, member, signature);
    }

    /**
     * Registers a new client. It is kept across restarts once the state store records registry
     * additions (the registry's {@code add} is the one place for that).
     */
    private String addClient(String name, Map<String, String> options) throws DBusError {
        ClientConfig config = AddedClientConfig.parse(name, options);
        try {
            registry.add(config);
        } catch (IllegalArgumentException e) {
            throw new DBusError(DBusNames.ERROR_INVALID_ARGS, e.getMessage());
        }
        LOG.info("Added client " + name + " over D-Bus");
        String path = pathOf(name);
        if (path == null) throw new DBusError(DBusNames.ERROR_FAILED, "client " + name + " vanished at once");
        return path;
    }

    private Reply serverProperties(String member, String signature, Object[] args) throws DBusError {
        Map<String, Variant<?>> all = new LinkedHashMap<>();
        all.put("Address", new Variant<>(info.address(), "s"));
        all.put("Port", new Variant<>(new UInt16(info.port()), "q"));
        all.put("Interface", new Variant<>(info.interfaceName(), "s"));
        all.put("ServiceName", new Variant<>(info.serviceName(), "s"));
        all.put("ClientCount", new Variant<>(new UInt32(clientCount()), "u"));
        switch (member + "(" + signature + ")") {
            case "Get(ss)" -> {
                Variant<?> value = serverInterface((String) args[0]) ? all.get((String) args[1]) : null;
                if (value == null) {
                    throw new DBusError(DBusNames.ERROR_PROPERTY_NOT_FOUND, "/:" + args[0] + "." + args[1]);
                }
                return new Reply("v", value);
            }
            case "GetAll(s)" -> {
                return new Reply("a{sv}", serverInterface((String) args[0]) ? all : Map.of());
            }
            case "Set(ssv)" -> {
                if (serverInterface((String) args[0]) && all.containsKey((String) args[1])) {
                    throw new DBusError(DBusNames.ERROR_PROPERTY_ACCESS, "Property \"" + args[1] + "\" is not writable");
                }
                throw new DBusError(DBusNames.ERROR_PROPERTY_NOT_FOUND, "/:" + args[0] + "." + args[1]);
            }
            default -> throw unknownMethod(DBusNames.PROPERTIES, member, signature);
        }
    }

    private static boolean serverInterface(String iface) {
        return iface.isEmpty() || iface.equals(DBusNames.SERVER_INTERFACE);
    }

    private long clientCount() {
        synchronized (state) {
            return lastValues.size();
        }
    }

    private Reply clientMethod(String name, String path, String iface, String member, String signature,
            Object[] args) throws DBusError {
        if (is(iface, DBusNames.PROPERTIES) && PROPERTY_METHODS.contains(member)) {
            return clientProperty(name, path, member, signature, args);
        }
        if (iface == null || DBusNames.CLIENT_INTERFACES.contains(iface)) {
            boolean found = switch (member + "(" + signature + ")") {
                case "Approve(b)" -> registry.approve(name, (Boolean) args[0]);
                case "CheckedOK()" -> registry.checkedOk(name);
                case "Enable()" -> registry.enable(name);
                case "Disable()" -> registry.disable(name);
                case "StartChecker()" -> registry.startChecker(name);
                case "StopChecker()" -> registry.stopChecker(name);
                default -> throw unknownMethod(iface, member, signature);
            };
            if (!found) throw new DBusError(DBusNames.ERROR_UNKNOWN_OBJECT, "No such object path '" + path + "'");
            return Reply.NONE;
        }
        throw unknownMethod(iface, member, signature);
    }

    private Reply clientProperty(String name, String path, String member, String signature, Object[] args)
            throws DBusError {
        ClientStatus status = registry.status(name)
                .orElseThrow(() -> new DBusError(DBusNames.ERROR_UNKNOWN_OBJECT, "No such object path '" + path + "'"));
        switch (member + "(" + signature + ")") {
            case "GetAll(s)" -> {
                String iface = (String) args[0];
                boolean ours = iface.isEmpty() || DBusNames.CLIENT_INTERFACES.contains(iface);
                return new Reply("a{sv}", ours ? clientProperties(status, path) : Map.of());
            }
            case "Get(ss)" -> {
                ClientProperty p = property(path, (String) args[0], (String) args[1]);
                if (!p.readable()) {
                    throw new DBusError(DBusNames.ERROR_PROPERTY_ACCESS, "Property \"" + p.dbusName + "\" is not readable");
                }
                return new Reply("v", p.variant(status, path));
            }
            case "Set(ssv)" -> {
                ClientProperty p = property(path, (String) args[0], (String) args[1]);
                if (!p.writable()) {
                    throw new DBusError(DBusNames.ERROR_PROPERTY_ACCESS, "Property \"" + p.dbusName + "\" is not writable");
                }
                Object value = args[2] instanceof Variant<?> v ? v.getValue() : args[2];
                p.set(registry, name, value);
                return Reply.NONE;
            }
            default -> throw unknownMethod(DBusNames.PROPERTIES, member, signature);
        }
    }

    /** A client property by interface and name; the empty interface name means any (as the original). */
    private static ClientProperty property(String path, String iface, String name) throws DBusError {
        ClientProperty p = ClientProperty.byName(name);
        if (p == null || !(iface.isEmpty() || DBusNames.CLIENT_INTERFACES.contains(iface))) {
            throw new DBusError(DBusNames.ERROR_PROPERTY_NOT_FOUND, path + ":" + iface + "." + name);
        }
        return p;
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Map<String, Variant<?>>> clientInterfaces(ClientStatus status, String path) {
        Map<String, Variant<?>> properties = clientProperties(status, path);
        Map<String, Map<String, Variant<?>>> interfaces = new LinkedHashMap<>();
        interfaces.put(DBusNames.INTROSPECTABLE, Map.of());
        interfaces.put(DBusNames.PROPERTIES, Map.of());
        interfaces.put(DBusNames.CLIENT_INTERFACE, properties);
        interfaces.put(DBusNames.OLD_CLIENT_INTERFACE, properties);
        return interfaces;
    }

    /** GetAll: every readable property (Secret is write-only), in the original's order. */
    private static Map<String, Variant<?>> clientProperties(ClientStatus status, String path) {
        Map<String, Variant<?>> properties = new LinkedHashMap<>();
        for (ClientProperty p : ClientProperty.ALL) {
            if (p.readable()) properties.put(p.dbusName, p.variant(status, path));
        }
        return properties;
    }

    private String pathOf(String name) {
        synchronized (state) {
            return paths.pathOf(name);
        }
    }

    private static boolean is(String iface, String expected) {
        return iface == null || iface.equals(expected);
    }

    private static String objectPath(Object arg) {
        return arg instanceof DBusPath p ? p.getPath() : String.valueOf(arg);
    }

    private static Map<String, String> stringMap(Object arg) throws DBusError {
        if (!(arg instanceof Map<?, ?> map)) throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "options must be a{ss}");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        return out;
    }

    private static DBusError unknownMethod(String iface, String member, String signature) {
        return new DBusError(DBusNames.ERROR_UNKNOWN_METHOD,
                "No such method '" + member + "' with signature '" + signature + "' in interface '" + iface + "'");
    }

    private static String machineId() throws DBusError {
        for (Path file : MACHINE_ID_FILES) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                // try the next place
            }
        }
        throw new DBusError(DBusNames.ERROR_FAILED, "no machine id");
    }
}
