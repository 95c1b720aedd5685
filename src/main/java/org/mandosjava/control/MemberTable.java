package org.mandosjava.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The methods of one kind of object (server, client, or any path), in the order they are matched.
 * {@code MemberTableTest} checks every table against the introspection data, so a new method is one
 * entry here and one in {@link Introspection}.
 */
final class MemberTable {
    private final List<Member> members;

    MemberTable(List<List<Member>> groups) {
        List<Member> all = new ArrayList<>();
        groups.forEach(all::addAll);
        this.members = List.copyOf(all);
    }

    List<Member> members() {
        return members;
    }

    /**
     * The member a call names, or null. A call without an interface name (allowed by the D-Bus
     * specification) matches the first member with that name and signature.
     */
    Member lookup(String iface, String name, String signature) {
        for (Member m : members) {
            if ((iface == null || iface.equals(m.iface())) && m.name().equals(name)
                    && m.signature().equals(signature)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The error for a call {@link #lookup} did not find. An unknown name gets the message dbus-python
     * (the original's D-Bus layer) gives; a known name with other arguments names the signature.
     */
    DBusError unknownMethod(String iface, String name, String signature) {
        Member known = members.stream()
                .filter(m -> m.name().equals(name) && (iface == null || iface.equals(m.iface())))
                .findFirst().orElse(null);
        if (known != null) {
            return new DBusError(DBusNames.ERROR_UNKNOWN_METHOD, "No such method '" + name + "' with signature '"
                    + signature + "' in interface '" + known.iface() + "'");
        }
        return new DBusError(DBusNames.ERROR_UNKNOWN_METHOD, iface == null
                ? "Unknown method: " + name + " is not a valid method"
                : "Unknown method: " + name + " is not a valid method of interface " + iface);
    }
}
