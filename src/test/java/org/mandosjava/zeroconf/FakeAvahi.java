package org.mandosjava.zeroconf;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.freedesktop.Avahi.CollisionError;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

/**
 * A scripted stand-in for avahi-daemon's D-Bus objects, owning {@code org.freedesktop.Avahi} on a
 * private bus: records every call, and lets a test cause what real Avahi does only by chance
 * (collisions after commit, state changes, the daemon going away).
 */
final class FakeAvahi implements AutoCloseable {
    private static final Pattern NUMBERED = Pattern.compile("(.*) #(\\d+)");

    record Added(String group, int iface, int protocol, long flags, String name, String type, String domain,
            String host, int port, int txtRecords) {}

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Added> added = new CopyOnWriteArrayList<>();
    /** AddService fails with CollisionError for names matching this. */
    volatile Predicate<String> taken = name -> false;
    /** The next Commit is answered with a COLLISION state signal instead of ESTABLISHED. */
    volatile boolean collideOnNextCommit;
    volatile int state;

    private final DBusConnection bus;
    private final AtomicInteger groups = new AtomicInteger();
    private final Set<String> exported = ConcurrentHashMap.newKeySet();

    private FakeAvahi(DBusConnection bus, int state) {
        this.bus = bus;
        this.state = state;
    }

    static FakeAvahi start(String address, int state) throws DBusException {
        DBusConnection bus = SystemBus.connect(address);
        FakeAvahi fake = new FakeAvahi(bus, state);
        bus.exportObject(AvahiDbus.SERVER_PATH, fake.new Server());
        bus.requestBusName(AvahiDbus.BUS_NAME);
        return fake;
    }

    /** The daemon's state changes, announced as avahi-daemon does. */
    void changeState(int newState) throws DBusException {
        state = newState;
        bus.sendMessage(new AvahiDbus.Server.StateChanged(AvahiDbus.SERVER_PATH, newState, ""));
    }

    List<String> names() {
        return added.stream().map(Added::name).toList();
    }

    @Override
    public void close() {
        try {
            bus.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Avahi's rule: "Name" becomes "Name #2", "Name #N" becomes "Name #N+1". */
    static String alternative(String name) {
        Matcher m = NUMBERED.matcher(name);
        return m.matches() ? m.group(1) + " #" + (Integer.parseInt(m.group(2)) + 1) : name + " #2";
    }

    final class Server implements AvahiDbus.Server {
        @Override
        public String getObjectPath() {
            return AvahiDbus.SERVER_PATH;
        }

        @Override
        public int GetState() {
            calls.add("GetState");
            return state;
        }

        @Override
        public DBusPath EntryGroupNew() {
            String path = "/Client1/EntryGroup" + groups.incrementAndGet();
            calls.add("EntryGroupNew " + path);
            try {
                bus.exportObject(path, new Group(path));
                exported.add(path);
            } catch (DBusException e) {
                throw new DBusExecutionException("export failed", e);
            }
            return new DBusPath(path);
        }

        @Override
        public String GetAlternativeServiceName(String name) {
            calls.add("GetAlternativeServiceName " + name);
            return alternative(name);
        }
    }

    final class Group implements AvahiDbus.EntryGroup {
        private final String path;
        private volatile int groupState = AvahiDbus.GROUP_UNCOMMITTED;

        Group(String path) {
            this.path = path;
        }

        @Override
        public String getObjectPath() {
            return path;
        }

        @Override
        public void AddService(int iface, int protocol, UInt32 flags, String name, String type, String domain,
                String host, UInt16 port, List<byte[]> txt) {
            calls.add("AddService " + path + " " + name);
            if (taken.test(name)) {
                throw new CollisionError("Local name collision");
            }
            added.add(new Added(path, iface, protocol, flags.longValue(), name, type, domain, host,
                    port.intValue(), txt.size()));
        }

        @Override
        public void Commit() {
            calls.add("Commit " + path);
            groupState = collideOnNextCommit ? AvahiDbus.GROUP_COLLISION : AvahiDbus.GROUP_ESTABLISHED;
            collideOnNextCommit = false;
            try {
                bus.sendMessage(new AvahiDbus.EntryGroup.StateChanged(path, groupState, ""));
            } catch (DBusException e) {
                throw new DBusExecutionException("signal failed", e);
            }
        }

        @Override
        public void Reset() {
            calls.add("Reset " + path);
            added.removeIf(a -> a.group().equals(path));
            groupState = AvahiDbus.GROUP_UNCOMMITTED;
        }

        @Override
        public void Free() {
            calls.add("Free " + path);
            added.removeIf(a -> a.group().equals(path));
            bus.unExportObject(path);
            exported.remove(path);
        }

        @Override
        public int GetState() {
            return groupState;
        }
    }
}
