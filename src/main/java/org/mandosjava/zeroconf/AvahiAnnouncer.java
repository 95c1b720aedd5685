package org.mandosjava.zeroconf;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.freedesktop.Avahi.CollisionError;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

/**
 * Announces the service through avahi-daemon over the D-Bus system bus, as the original server does
 * (spec §6.1): one entry group holding one {@code _mandos._tcp} service with no TXT records.
 *
 * <p>Lifecycle. All Avahi calls run on one worker thread, so signal handlers (which dbus-java calls on
 * its own threads) only enqueue work. The entry group exists while avahi-daemon is RUNNING:
 * <ul>
 * <li>daemon RUNNING (at start, after its restart, or after its host-name collision) → new entry group,
 *     AddService, Commit;
 * <li>AddService fails with {@code CollisionError}, or the group goes to COLLISION → take Avahi's
 *     alternative name ({@code Mandos #2}, …), log it at WARNING, tell the {@link RenameListener}, add
 *     again; after {@value #MAX_RENAMES} renames give up (SEVERE log, nothing announced);
 * <li>daemon leaves the bus (NameOwnerChanged to "") → forget the group (it died with the daemon);
 *     daemon goes INVALID/REGISTERING/COLLISION/FAILURE → withdraw the group; it comes back on RUNNING;
 * <li>close → Reset and Free the group, disconnect.
 * </ul>
 * Only a failure while announcing at {@link #start} is reported to the caller (as the original exits
 * on D-Bus errors then); later failures are logged and retried at the daemon's next RUNNING, because
 * clients using {@code --connect} are still served.
 */
public final class AvahiAnnouncer implements ServiceAnnouncer {
    private static final Logger LOG = Logger.getLogger(AvahiAnnouncer.class.getName());

    /** The original's limit on collision renames before it gives up. */
    static final int MAX_RENAMES = 32768;
    /** Bound on waiting for the worker, at start and close; D-Bus calls time out well before this. */
    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(60);

    private final DBusConnection bus;
    private final int iface;
    private final int protocol;
    private final int port;
    private final RenameListener renameListener;
    private final int maxRenames;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("avahi-announcer").factory());
    private final List<AutoCloseable> signalHandlers = new ArrayList<>();
    private volatile String name;

    // Confined to the worker thread.
    private AvahiDbus.EntryGroup group;
    private String groupPath;
    private int renames;
    private boolean gaveUp;
    private boolean closed;

    private AvahiAnnouncer(DBusConnection bus, ZeroconfSettings settings, int iface,
            RenameListener renameListener, int maxRenames) {
        this.maxRenames = maxRenames;
        this.bus = bus;
        this.iface = iface;
        this.protocol = settings.ipv6() ? AvahiDbus.PROTO_INET6 : AvahiDbus.PROTO_INET;
        this.port = settings.port();
        this.name = settings.serviceName();
        this.renameListener = renameListener;
    }

    /**
     * Connects to the system bus at {@code busAddress} and announces the service if avahi-daemon is
     * running (otherwise as soon as it is).
     *
     * @param iface Avahi interface index, or {@link AvahiDbus#IF_UNSPEC}
     */
    static AvahiAnnouncer start(String busAddress, ZeroconfSettings settings, int iface,
            RenameListener renameListener) throws ZeroconfException {
        return start(busAddress, settings, iface, renameListener, MAX_RENAMES);
    }

    /** As {@link #start(String, ZeroconfSettings, int, RenameListener)}, with another rename limit. */
    static AvahiAnnouncer start(String busAddress, ZeroconfSettings settings, int iface,
            RenameListener renameListener, int maxRenames) throws ZeroconfException {
        DBusConnection bus;
        try {
            bus = SystemBus.connect(busAddress);
        } catch (DBusException e) {
            throw new ZeroconfException("Cannot connect to the D-Bus system bus at " + busAddress + ": "
                    + e.getMessage(), e);
        }
        AvahiAnnouncer announcer = new AvahiAnnouncer(bus, settings, iface, renameListener, maxRenames);
        try {
            announcer.subscribe();
            announcer.onWorker(announcer::announceIfRunning);
        } catch (ZeroconfException | RuntimeException e) {
            announcer.close();
            throw e;
        }
        return announcer;
    }

    @Override
    public ZeroconfSettings.Mode mode() {
        return ZeroconfSettings.Mode.AVAHI;
    }

    @Override
    public String serviceName() {
        return name;
    }

    @Override
    public void close() {
        if (!worker.isShutdown()) {
            try {
                onWorker(() -> {
                    closed = true;
                    withdraw();
                });
            } catch (ZeroconfException | RuntimeException e) {
                LOG.log(Level.WARNING, "Could not withdraw Zeroconf service", e);
            }
            worker.shutdownNow();
        }
        for (AutoCloseable handler : signalHandlers) {
            try {
                handler.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Removing D-Bus signal handler", e);
            }
        }
        signalHandlers.clear();
        try {
            bus.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "Closing D-Bus connection", e);
        }
    }

    private void subscribe() throws ZeroconfException {
        try {
            signalHandlers.add(bus.addSigHandler(AvahiDbus.Server.StateChanged.class,
                    signal -> later(() -> onServerState(signal.state, signal.error))));
            signalHandlers.add(bus.addSigHandler(AvahiDbus.EntryGroup.StateChanged.class,
                    signal -> later(() -> onGroupState(signal.getPath(), signal.state, signal.error))));
            signalHandlers.add(bus.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
                if (AvahiDbus.BUS_NAME.equals(signal.name)) {
                    later(() -> onDaemonOwner(signal.newOwner));
                }
            }));
        } catch (DBusException e) {
            throw new ZeroconfException("Cannot subscribe to avahi-daemon's D-Bus signals", e);
        }
    }

    /** Runs a step on the worker and waits for it, turning its failure into a ZeroconfException. */
    private void onWorker(Step step) throws ZeroconfException {
        try {
            worker.submit(() -> {
                step.run();
                return null;
            }).get(WORKER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof ZeroconfException z ? z
                    : new ZeroconfException("Zeroconf: avahi-daemon: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new ZeroconfException("Zeroconf: avahi-daemon did not answer in " + WORKER_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZeroconfException("Interrupted while talking to avahi-daemon", e);
        } catch (RejectedExecutionException e) {
            throw new ZeroconfException("Zeroconf announcer already closed", e);
        }
    }

    /** Queues a step triggered by a signal; its failure is logged, as nobody waits for it. */
    private void later(Step step) {
        try {
            worker.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    step.run();
                } catch (ZeroconfException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "Zeroconf: " + e.getMessage(), e);
                    // Announced again at the daemon's next RUNNING; a half-made group must not linger.
                    withdraw();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.fine("Ignoring Avahi signal after close");
        }
    }

    private void onDaemonOwner(String newOwner) throws ZeroconfException {
        if (newOwner == null || newOwner.isEmpty()) {
            LOG.warning("avahi-daemon left the D-Bus system bus; will announce again when it returns");
            forgetGroup();
        } else {
            LOG.info("avahi-daemon is on the D-Bus system bus");
            announceIfRunning();
        }
    }

    private void onServerState(int state, String error) throws ZeroconfException {
        switch (state) {
            case AvahiDbus.SERVER_RUNNING -> announceIfRunning();
            case AvahiDbus.SERVER_REGISTERING -> {
                LOG.fine("avahi-daemon is registering its host name");
                withdraw();
            }
            case AvahiDbus.SERVER_COLLISION -> {
                LOG.warning("Zeroconf server name collision");
                withdraw();
            }
            default -> {
                LOG.log(Level.WARNING, "Zeroconf: avahi-daemon state {0} {1}", new Object[] {state, error});
                withdraw();
            }
        }
    }

    private void onGroupState(String path, int state, String error) throws ZeroconfException {
        if (group == null || !path.equals(groupPath)) {
            return;
        }
        switch (state) {
            case AvahiDbus.GROUP_ESTABLISHED -> LOG.log(Level.INFO,
                    "Zeroconf service ''{0}'' established", name);
            case AvahiDbus.GROUP_COLLISION -> {
                LOG.info("Zeroconf service name collision");
                if (rename()) {
                    group.Reset();
                    addAndCommit();
                } else {
                    withdraw();
                }
            }
            case AvahiDbus.GROUP_FAILURE -> {
                LOG.log(Level.SEVERE, "Zeroconf: Avahi entry group failed: {0}", error);
                withdraw();
            }
            default -> LOG.log(Level.FINE, "Zeroconf entry group state {0}", state);
        }
    }

    private void announceIfRunning() throws ZeroconfException {
        if (closed || group != null || gaveUp) {
            return;
        }
        AvahiDbus.Server server = server();
        int state = server.GetState();
        if (state != AvahiDbus.SERVER_RUNNING) {
            LOG.log(Level.INFO, "avahi-daemon is not running yet (state {0}); will announce when it is",
                    state);
            return;
        }
        DBusPath path = server.EntryGroupNew();
        groupPath = path.getPath();
        group = remote(groupPath, AvahiDbus.EntryGroup.class);
        addAndCommit();
    }

    /** Adds the service to the (empty) group under the current name, renaming on local collisions. */
    private void addAndCommit() throws ZeroconfException {
        while (true) {
            try {
                group.AddService(iface, protocol, new UInt32(0), name, ZeroconfSettings.SERVICE_TYPE, "",
                        "", new UInt16(port), List.of());
                break;
            } catch (CollisionError e) {
                LOG.info("Local Zeroconf service name collision");
                if (!rename()) {
                    withdraw();
                    throw new ZeroconfException("No suitable Zeroconf service name found after "
                            + maxRenames + " renames; not announcing");
                }
            }
        }
        group.Commit();
        LOG.log(Level.INFO, "Announcing Zeroconf service ''{0}'' ({1}) on port {2}",
                new Object[] {name, ZeroconfSettings.SERVICE_TYPE, String.valueOf(port)});
    }

    /** Takes Avahi's alternative name; false once the rename limit is reached. */
    private boolean rename() {
        if (renames >= maxRenames) {
            gaveUp = true;
            LOG.log(Level.SEVERE, "No suitable Zeroconf service name found after {0} renames; "
                    + "not announcing", maxRenames);
            return false;
        }
        String old = name;
        name = server().GetAlternativeServiceName(old);
        renames++;
        LOG.log(Level.WARNING, "Zeroconf service name ''{0}'' is taken; changing it to ''{1}''",
                new Object[] {old, name});
        renameListener.renamed(old, name);
        return true;
    }

    /** Removes the service from the daemon (it may be gone already) and forgets the group. */
    private void withdraw() {
        if (group != null) {
            try {
                group.Reset();
                group.Free();
            } catch (DBusExecutionException e) {
                LOG.log(Level.FINE, "Withdrawing Zeroconf entry group", e);
            }
        }
        forgetGroup();
    }

    private void forgetGroup() {
        group = null;
        groupPath = null;
    }

    private AvahiDbus.Server server() {
        return remote(AvahiDbus.SERVER_PATH, AvahiDbus.Server.class);
    }

    private <I extends org.freedesktop.dbus.interfaces.DBusInterface> I remote(String path, Class<I> type) {
        try {
            return bus.getRemoteObject(AvahiDbus.BUS_NAME, path, type, false);
        } catch (DBusException e) {
            throw new DBusExecutionException("Cannot reach " + AvahiDbus.BUS_NAME + path, e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws ZeroconfException;
    }
}
