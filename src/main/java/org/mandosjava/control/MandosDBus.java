package org.mandosjava.control;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.exceptions.DBusException;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;

/**
 * The Mandos D-Bus API (spec §7) over a {@link ClientRegistry}: the server object {@code /} and one
 * object per client (paths: {@link ClientPaths}), under both bus names and both interface names.
 * Reads come from registry snapshots; writes are registry calls; signals come from the registry's
 * events, in their order. This class connects, registers and shuts down; the work is done by
 * {@link MethodDispatcher} (calls, through the member tables of {@link ServerObject},
 * {@link ClientObject} and {@link CommonMembers}) and {@link SignalEmitter} (events → signals), over
 * the client objects in {@link ExportedClients}.
 *
 * <p>Beyond the original: {@code AddClient(s name, a{ss} options) → o} on {@code se.recompile.Mandos}
 * (options as a clients.conf section: {@link AddedClientConfig}), and read-only server properties
 * {@code Address, Port, Interface, ServiceName, ClientCount} on {@code /} through
 * {@code org.freedesktop.DBus.Properties}.
 *
 * <p>Threads: one reader thread answers method calls; registry events arrive on whichever thread
 * made the change and wait there for the one thread that sends signals ({@link SignalQueue}).
 */
public final class MandosDBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MandosDBus.class.getName());
    /** dbus-java logs at INFO what we do not want in the server's log (transport chosen, etc.). */
    private static final Logger DBUS_JAVA_LOG = Logger.getLogger("org.freedesktop.dbus");
    private static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    /** How long a stopping server waits for the bus to take the withdrawal of its clients. */
    static final Duration WITHDRAWAL_LIMIT = Duration.ofSeconds(10);

    /** What the server properties on {@code /} report. */
    public record ServerInfo(String address, int port, String interfaceName, String serviceName, Cluster cluster) {
        public ServerInfo(String address, int port, String interfaceName, String serviceName) {
            this(address, port, interfaceName, serviceName, null);
        }
    }

    /**
     * For a server in a cluster: what {@code ClusterStatus} (the members, when each last confirmed)
     * and {@code ClusterStoreReachable} on {@code /} report, read at each call.
     */
    public record Cluster(java.util.function.Supplier<String> status, java.util.function.BooleanSupplier storeReachable) {}

    /** The bus or its names could not be had; the server goes on without D-Bus (spec §7.1). */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ClientRegistry registry;
    private final BusConnection bus;
    private final ExportedClients exported = new ExportedClients();
    private final SignalEmitter signals;
    private final MethodDispatcher dispatcher;
    private Thread reader;
    private volatile boolean closing;

    private MandosDBus(ClientRegistry registry, ServerInfo info, BusConnection bus) {
        this.registry = registry;
        this.bus = bus;
        this.signals = new SignalEmitter(registry, exported, bus, () -> closing);
        this.dispatcher = new MethodDispatcher(bus, exported, new CommonMembers(exported),
                new ServerObject(registry, exported, info), new ClientObject(registry), () -> closing);
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
            registry.addListener(service.signals);
            registry.setObjectPaths(service.exported::pathOf); // for %(dbus_object_path)s in checkers
            // Objects first (readiness, for systemd's Type=dbus, is the last name taken), then the names,
            // then the announcements, which listeners matching on our name can only hear from then on.
            List<String> exported = new ArrayList<>();
            for (ClientStatus status : registry.statuses()) {
                if (service.exported.export(status)) exported.add(status.name());
            }
            for (String name : DBusNames.BUS_NAMES) {
                if (!bus.requestName(name)) {
                    throw new UnavailableException("the bus name " + name + " is taken", null);
                }
            }
            // Queued: sending 100,000 announcements takes the bus daemon minutes, and clients wait for
            // their secrets, not for the bus.
            for (String name : exported) service.signals.announce(name);
            service.signals.start();
        } catch (IOException | DBusException | RuntimeException e) {
            service.closing = true;
            service.signals.close();
            bus.close();
            throw new UnavailableException("cannot register on the bus: " + e.getMessage(), e);
        } catch (UnavailableException e) {
            service.closing = true;
            service.signals.close();
            bus.close();
            throw e;
        }
        service.reader = Thread.ofPlatform().daemon().name("mandos-dbus").start(service::serve);
        return service;
    }

    private void serve() {
        try {
            bus.serve(dispatcher::handle);
        } catch (IOException | DBusException | RuntimeException e) {
            if (!closing) LOG.log(Level.WARNING, "D-Bus connection lost; going on without D-Bus", e);
        }
        closing = true;
    }

    /**
     * Announces every client as removed (as the original does at exit) for up to
     * {@link #WITHDRAWAL_LIMIT}, gives up the names, disconnects. The signals still waiting then are
     * dropped: the bus tells every watcher that our names are gone anyway, and the state save after
     * this must not wait for the bus.
     */
    @Override
    public void close() {
        if (closing) { // the connection was lost already: nothing to withdraw or release
            signals.close();
            bus.close();
            return;
        }
        List<String> names = exported.names();
        for (String name : names) signals.withdraw(name);
        boolean sent;
        try {
            sent = signals.awaitSent(WITHDRAWAL_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sent = false;
        }
        closing = true;
        if (!sent) {
            LOG.warning("D-Bus: withdrawing " + names.size() + " clients, " + signals.backlog()
                    + " withdrawals and signals still queued after " + WITHDRAWAL_LIMIT.toSeconds() + " s; leaving the bus without them");
        }
        signals.close();
        // A stalled bus daemon would hold these writes forever; our names go with the connection anyway.
        for (String name : sent ? DBusNames.BUS_NAMES : List.<String>of()) {
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
}
