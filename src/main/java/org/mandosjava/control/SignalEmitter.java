package org.mandosjava.control;

import java.io.IOException;
import java.time.Duration;
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
 * and exports or withdraws client objects as clients come and go. The objects change on whichever
 * thread delivers the event, so a method call made right after sees them; the signals wait in a
 * {@link SignalQueue} and are sent by its thread, so no change waits for the bus. A signal that
 * cannot be sent is logged and dropped.
 */
final class SignalEmitter implements ServerEventListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SignalEmitter.class.getName());

    private final ClientRegistry registry;
    private final ExportedClients exported;
    private final BusConnection bus;
    private final BooleanSupplier closing;
    private final SignalQueue queue;

    SignalEmitter(ClientRegistry registry, ExportedClients exported, BusConnection bus, BooleanSupplier closing) {
        this.registry = registry;
        this.exported = exported;
        this.bus = bus;
        this.closing = closing;
        this.queue = new SignalQueue(this::propertiesChanged, System::nanoTime);
    }

    /** Starts sending what is queued. */
    void start() {
        queue.start();
    }

    @Override
    public void onEvent(ServerEvent event) {
        if (closing.getAsBoolean()) return;
        switch (event) {
            case ServerEvent.SecretSent e -> queue.signal(() -> clientSignal(e.clientName(), "GotSecret", null));
            case ServerEvent.ClientNotFound e ->
                    queue.signal(() -> serverSignal("ClientNotFound", "ss", e.keyId(), e.address()));
            case ServerEvent.Rejected e -> queue.signal(() -> clientSignal(e.clientName(), "Rejected", "s", e.reason()));
            case ServerEvent.NeedApproval e -> queue.signal(() -> clientSignal(e.clientName(), "NeedApproval", "tb",
                    new UInt64(DBusValues.millis(e.timeout())), e.approvedByDefault()));
            case ServerEvent.CheckerStarted e ->
                    queue.signal(() -> clientSignal(e.clientName(), "CheckerStarted", "s", e.command()));
            case ServerEvent.CheckerCompleted e -> queue.signal(() -> clientSignal(e.clientName(), "CheckerCompleted",
                    "nxs", (short) e.exitCode(), e.waitStatus(), e.command()));
            case ServerEvent.PropertiesChanged e -> queue.changes(e.clientName(), e.properties());
            case ServerEvent.ClientAdded e -> clientAdded(e.clientName());
            case ServerEvent.ClientRemoved e -> withdraw(e.clientName());
            // Reach D-Bus otherwise: GotSecret once sent, property changes of ApprovalPending, Enabled.
            case ServerEvent.SecretReleasing e -> { }
            case ServerEvent.ApprovalDecided e -> { }
            case ServerEvent.EnabledChanged e -> { }
            case ServerEvent.PeerLeft e -> { }
        }
    }

    private void clientAdded(String name) {
        Optional<ClientStatus> status = registry.status(name);
        if (status.isPresent() && exported.export(status.get())) announce(name);
    }

    /**
     * Queues InterfacesAdded and ClientAdded for an exported client, as the original sends them at
     * startup and on AddClient. They carry the values of when they are sent, which become the ones
     * later changes are compared with.
     */
    void announce(String name) {
        queue.announcement(name, () -> announceAdded(name));
    }

    /**
     * Takes the client's object away now and queues InterfacesRemoved and ClientRemoved (also at
     * shutdown, as the original), unless its announcement is still queued: then it is announced to
     * nobody and withdrawn from nobody.
     */
    void withdraw(String name) {
        String path = exported.remove(name);
        if (path != null && !queue.forgetAnnouncement(name)) queue.always(() -> clientRemoved(path, name));
    }

    /**
     * Waits up to {@code limit} for the queued signals to be sent.
     *
     * @return false if some were still waiting
     */
    boolean awaitSent(Duration limit) throws InterruptedException {
        return queue.awaitSent(limit);
    }

    /** Signals queued or being sent. */
    int backlog() {
        return queue.backlog();
    }

    /** Stops sending; what still waits is dropped. */
    @Override
    public void close() {
        queue.close();
    }

    private void announceAdded(String name) {
        Optional<ClientStatus> status = registry.status(name);
        String path = exported.pathOf(name);
        if (status.isEmpty() || path == null) return;
        exported.announced(status.get());
        signal(DBusNames.SERVER_PATH, DBusNames.OBJECT_MANAGER, "InterfacesAdded", "oa{sa{sv}}",
                new DBusPath(path), ClientViews.interfaces(status.get(), path));
        serverSignal("ClientAdded", "o", new DBusPath(path));
        clientCountChanged();
    }

    /** The signals of a withdrawn client object: InterfacesRemoved, ClientRemoved, the new count. */
    private void clientRemoved(String path, String name) {
        signal(DBusNames.SERVER_PATH, DBusNames.OBJECT_MANAGER, "InterfacesRemoved", "oas",
                new DBusPath(path), DBusNames.CLIENT_OBJECT_INTERFACES);
        serverSignal("ClientRemoved", "os", new DBusPath(path), name);
        clientCountChanged();
    }

    /** Queues the server's ClientCount, sent once for all the announcements and withdrawals before it. */
    private void clientCountChanged() {
        queue.once("ClientCount", () -> {
            if (closing.getAsBoolean()) return;
            Map<String, Variant<?>> changed = Map.of("ClientCount", new Variant<>(new UInt32(exported.count()), "u"));
            signal(DBusNames.SERVER_PATH, DBusNames.PROPERTIES, "PropertiesChanged", "sa{sv}as",
                    DBusNames.SERVER_INTERFACE, changed, List.of());
        });
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
