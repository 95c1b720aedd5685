package org.mandosjava.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The standard members every path answers: Peer (Ping, GetMachineId) and Introspectable. */
final class CommonMembers {
    private static final List<Path> MACHINE_ID_FILES = List.of(Path.of("/etc/machine-id"),
            Path.of("/var/lib/dbus/machine-id"));

    private final ExportedClients exported;

    CommonMembers(ExportedClients exported) {
        this.exported = exported;
    }

    List<Member> members() {
        return List.of(
                new Member(DBusNames.PEER, "Ping", "", call -> Reply.NONE),
                new Member(DBusNames.PEER, "GetMachineId", "", call -> new Reply("s", machineId())),
                new Member(DBusNames.INTROSPECTABLE, "Introspect", "", call -> new Reply("s", introspect(call.path()))));
    }

    private String introspect(String path) throws DBusError {
        if (DBusNames.SERVER_PATH.equals(path)) return Introspection.server();
        if (DBusNames.CLIENTS_PATH.equals(path)) return Introspection.clientsNode(exported.paths());
        if (exported.nameAt(path) != null) return Introspection.client(path);
        throw noSuchObject(path);
    }

    static DBusError noSuchObject(String path) {
        return new DBusError(DBusNames.ERROR_UNKNOWN_OBJECT, "No such object path '" + path + "'");
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
