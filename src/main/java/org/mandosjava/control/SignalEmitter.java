package org.mandosjava.control;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.ServerEventListener;

/**
 * Turns the registry's events into the original's signals, in the events' order (spec §7.2, §7.3),
 * and exports or withdraws client objects as clients come and go. Runs on whichever thread delivers
 * the event; a signal that cannot be sent is logged and dropped.
 */
final class SignalEmitter implements ServerEventListener {
    private static final Logger LOG = Logger.getLogger(SignalEmitter.class.getName());

    private final ClientRegistry registry;
    private final ExportedClients exported;
    private final BusConnection bus;
    private final BooleanSupplier closing;

    SignalEmitter(ClientRegistry registry, ExportedClients exported, BusConnection bus, BooleanSupplier closing) {
        this.registry = registry;
        this.exported = exported;
        this.bus = bus;
        this.closing = closing;
    }

    @Override
    public void onEvent(ServerEvent event) {
        if (closing.getAsBoolean()) return;
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
            // Reach D-Bus otherwise: GotSecret once sent, property changes of ApprovalPending, Enabled.
            case ServerEvent.SecretReleasing e -> { }
            case ServerEvent.ApprovalDecided e -> { }
            case ServerEvent.EnabledChanged e -> { }
            case ServerEvent.PeerLeft e -> { }
        }
    }

    private void clientAdded(String name) {
        Optional<ClientStatus> status = registry.status(name);
        if (status.isPresent() && exported.export(status.get())) announceAdded(name);
    }

    /** InterfacesAdded and ClientAdded for an exported client, as the original at startup and on AddClient. */
    void announceAdded(String name) {
        Optional<ClientStatus> status = registry.status(name);
        String path = exported.pathOf(name);
        if (status.isEmpty() || path == null) return;
        signal(DBusNames.SERVER_PATH, DBusNames.OBJECT_MANAGER, "InterfacesAdded", "oa{sa{sv}}",
                new DBusPath(path), ClientViews.interfaces(status.get(), path));
        serverSignal("ClientAdded", "o", new DBusPath(path));
        clientCountChanged();
    }

    /** Withdraws a client's object with InterfacesRemoved and ClientRemoved (also at shutdown, as the original). */
    void clientRemoved(String name) {
        String path = exported.remove(name);
        if (path == null) return;
        signal(DBusNames.SERVER_PATH, DBusNames.OBJECT_MANAGER, "InterfacesRemoved", "oas",
                new DBusPath(path), DBusNames.CLIENT_OBJECT_INTERFACES);
        serverSignal("ClientRemoved", "os", new DBusPath(path), name);
        clientCountChanged();
    }

    private void clientCountChanged() {
        if (closing.getAsBoolean()) return;
        Map<String, Variant<?>> changed = Map.of("ClientCount", new Variant<>(new UInt32(exported.count()), "u"));
        signal(DBusNames.SERVER_PATH, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as",
                DBusNames.SERVER_INTERFACE, changed, List.of());
    }

    /**
     * For each property whose value really changed since last announced: PropertyChanged on both
     * client interfaces, then one PropertiesChanged on the current one (spec §7.3). Secret has no
     * readable value: it is only named as invalidated.
     */
    private void propertiesChanged(String name, java.util.Set<String> names) {
        Optional<ClientStatus> status = registry.status(name);
        if (status.isEmpty()) return;
        ExportedClients.Changes changes = exported.changes(status.get(), names);
        if (changes == null) return;
        String path = changes.path();
        for (ClientProperty p : changes.changed()) {
            Variant<?> value = p.variant(status.get(), path);
            for (String iface : DBusNames.CLIENT_INTERFACES) {
                if (p.on(iface)) signal(path, iface, "PropertyChanged", "sv", p.dbusName, value);
            }
            signal(path, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as", DBusNames.CLIENT_INTERFACE,
                    Map.of(p.dbusName, value), List.of());
        }
        if (changes.secret()) {
            signal(path, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as", DBusNames.CLIENT_INTERFACE,
                    Map.<String, Variant<?>>of(), List.of(ClientProperty.SECRET.dbusName));
        }
    }

    private void clientSignal(String name, String member, String signature, Object... args) {
        String path = exported.pathOf(name);
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
            if (!closing.getAsBoolean()) LOG.log(Level.WARNING, "cannot emit D-Bus signal " + iface + "." + member, e);
        }
    }
}
