package org.mandosjava.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;

/**
 * The methods of a client object (spec §7.3): the Mandos client interface under both names, and
 * org.freedesktop.DBus.Properties over {@link ClientProperty}. Every call is a registry call; a
 * client that went away in between answers UnknownObject.
 */
final class ClientObject {
    /** A client method: a registry call that is false when the client is gone. */
    @FunctionalInterface
    private interface Action {
        boolean apply(String client, Object[] args);
    }

    private final ClientRegistry registry;

    ClientObject(ClientRegistry registry) {
        this.registry = registry;
    }

    List<Member> members() {
        List<Member> members = new ArrayList<>();
        members.add(new Member(DBusNames.PROPERTIES, "Get", "ss", this::getProperty));
        members.add(new Member(DBusNames.PROPERTIES, "Set", "ssv", this::setProperty));
        members.add(new Member(DBusNames.PROPERTIES, "GetAll", "s", this::getAllProperties));
        members.addAll(method("Approve", "b", (c, a) -> registry.approve(c, (Boolean) a[0])));
        members.addAll(method("CheckedOK", "", (c, a) -> registry.checkedOk(c)));
        members.addAll(method("Enable", "", (c, a) -> registry.enable(c)));
        members.addAll(method("Disable", "", (c, a) -> registry.disable(c)));
        members.addAll(method("StartChecker", "", (c, a) -> registry.startChecker(c)));
        members.addAll(method("StopChecker", "", (c, a) -> registry.stopChecker(c)));
        return members;
    }

    private static List<Member> method(String name, String signature, Action action) {
        return Member.onEach(DBusNames.CLIENT_INTERFACES, name, signature, call -> {
            if (!action.apply(call.client(), call.args())) throw CommonMembers.noSuchObject(call.path());
            return Reply.NONE;
        });
    }

    private ClientStatus status(Member.Call call) throws DBusError {
        return registry.status(call.client()).orElseThrow(() -> CommonMembers.noSuchObject(call.path()));
    }

    private Reply getAllProperties(Member.Call call) throws DBusError {
        ClientStatus status = status(call);
        String iface = (String) call.args()[0];
        boolean ours = iface.isEmpty() || DBusNames.CLIENT_INTERFACES.contains(iface);
        return new Reply("a{sv}", ours ? ClientViews.properties(status, call.path(), iface) : Map.of());
    }

    private Reply getProperty(Member.Call call) throws DBusError {
        ClientStatus status = status(call);
        ClientProperty p = property(call);
        if (!p.readable()) {
            throw new DBusError(DBusNames.ERROR_PROPERTY_ACCESS, "Property \"" + p.dbusName + "\" is not readable");
        }
        return new Reply("v", p.variant(status, call.path()));
    }

    private Reply setProperty(Member.Call call) throws DBusError {
        status(call);
        ClientProperty p = property(call);
        if (!p.writable()) {
            throw new DBusError(DBusNames.ERROR_PROPERTY_ACCESS, "Property \"" + p.dbusName + "\" is not writable");
        }
        Object value = call.args()[2] instanceof Variant<?> v ? v.getValue() : call.args()[2];
        p.set(registry, call.client(), value);
        return Reply.NONE;
    }

    /** The property a Get or Set names; the empty interface name means any (as the original). */
    private static ClientProperty property(Member.Call call) throws DBusError {
        String iface = (String) call.args()[0];
        String name = (String) call.args()[1];
        ClientProperty p = ClientProperty.byName(name);
        if (p == null || !p.on(iface)) {
            throw new DBusError(DBusNames.ERROR_PROPERTY_NOT_FOUND, call.path() + ":" + iface + "." + name);
        }
        return p;
    }
}
