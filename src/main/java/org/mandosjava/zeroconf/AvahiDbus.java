package org.mandosjava.zeroconf;

import java.util.List;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

/**
 * The part of avahi-daemon's D-Bus API that announcing one service needs
 * ({@code /usr/share/dbus-1/interfaces/org.freedesktop.Avahi.*.xml}). Method names are the D-Bus
 * member names, hence capitalised.
 */
public final class AvahiDbus {
    private AvahiDbus() {}

    public static final String BUS_NAME = "org.freedesktop.Avahi";
    public static final String SERVER_PATH = "/";

    public static final int IF_UNSPEC = -1;
    public static final int PROTO_INET = 0;
    public static final int PROTO_INET6 = 1;

    /** AvahiServerState. */
    public static final int SERVER_INVALID = 0;
    public static final int SERVER_REGISTERING = 1;
    public static final int SERVER_RUNNING = 2;
    public static final int SERVER_COLLISION = 3;
    public static final int SERVER_FAILURE = 4;

    /** AvahiEntryGroupState. */
    public static final int GROUP_UNCOMMITTED = 0;
    public static final int GROUP_REGISTERING = 1;
    public static final int GROUP_ESTABLISHED = 2;
    public static final int GROUP_COLLISION = 3;
    public static final int GROUP_FAILURE = 4;

    @DBusInterfaceName("org.freedesktop.Avahi.Server")
    public interface Server extends DBusInterface {
        int GetState();

        DBusPath EntryGroupNew();

        String GetAlternativeServiceName(String name);

        final class StateChanged extends DBusSignal {
            public final int state;
            public final String error;

            public StateChanged(String path, int state, String error) throws DBusException {
                super(path, state, error);
                this.state = state;
                this.error = error;
            }
        }
    }

    @DBusInterfaceName("org.freedesktop.Avahi.EntryGroup")
    public interface EntryGroup extends DBusInterface {
        void AddService(int iface, int protocol, UInt32 flags, String name, String type, String domain,
                String host, UInt16 port, List<byte[]> txt);

        void Commit();

        void Reset();

        void Free();

        int GetState();

        final class StateChanged extends DBusSignal {
            public final int state;
            public final String error;

            public StateChanged(String path, int state, String error) throws DBusException {
                super(path, state, error);
                this.state = state;
                this.error = error;
            }
        }
    }
}
