package org.mandosjava.control;

import java.util.Collection;

/**
 * Introspection XML of the objects, with the original's members, argument names and annotations
 * (Deprecated, EmitsChangedSignal), plus what this server adds (AddClient, server properties, the
 * client's KeyExpires), on the current interfaces only.
 */
final class Introspection {
    private static final String HEADER = "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"\n"
            + " \"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n";
    private static final String DEPRECATED = "      <annotation name=\"org.freedesktop.DBus.Deprecated\" value=\"true\"/>\n";

    private static final String INTROSPECTABLE = """
              <interface name="org.freedesktop.DBus.Introspectable">
                <method name="Introspect">
                  <arg direction="out" type="s" name="xml_data"/>
                </method>
              </interface>
              <interface name="org.freedesktop.DBus.Peer">
                <method name="Ping"/>
                <method name="GetMachineId">
                  <arg direction="out" type="s" name="machine_uuid"/>
                </method>
              </interface>
            """;

    private static final String PROPERTIES = """
              <interface name="org.freedesktop.DBus.Properties">
                <method name="Get">
                  <arg direction="in" type="s" name="interface_name"/>
                  <arg direction="in" type="s" name="property_name"/>
                  <arg direction="out" type="v" name="value"/>
                </method>
                <method name="Set">
                  <arg direction="in" type="s" name="interface_name"/>
                  <arg direction="in" type="s" name="property_name"/>
                  <arg direction="in" type="v" name="value"/>
                </method>
                <method name="GetAll">
                  <arg direction="in" type="s" name="interface_name"/>
                  <arg direction="out" type="a{sv}" name="props"/>
                </method>
                <signal name="PropertiesChanged">
                  <arg type="s" name="interface_name"/>
                  <arg type="a{sv}" name="changed_properties"/>
                  <arg type="as" name="invalidated_properties"/>
                </signal>
              </interface>
            """;

    private static final String OBJECT_MANAGER = """
              <interface name="org.freedesktop.DBus.ObjectManager">
                <method name="GetManagedObjects">
                  <arg direction="out" type="a{oa{sa{sv}}}" name="objpath_interfaces_and_properties"/>
                </method>
                <signal name="InterfacesAdded">
                  <arg type="o" name="object_path"/>
                  <arg type="a{sa{sv}}" name="interfaces_and_properties"/>
                </signal>
                <signal name="InterfacesRemoved">
                  <arg type="o" name="object_path"/>
                  <arg type="as" name="interfaces"/>
                </signal>
              </interface>
            """;

    private static final String SERVER_MEMBERS = """
                <signal name="ClientAdded">
                  <arg type="o" name="objpath"/>
                </signal>
                <signal name="ClientNotFound">
                  <arg type="s" name="key_id"/>
                  <arg type="s" name="address"/>
                </signal>
                <signal name="ClientRemoved">
                  <arg type="o" name="objpath"/>
                  <arg type="s" name="name"/>
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </signal>
                <method name="GetAllClients">
                  <arg direction="out" type="ao"/>
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </method>
                <method name="GetAllClientsWithProperties">
                  <arg direction="out" type="a{oa{sv}}"/>
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </method>
                <method name="RemoveClient">
                  <arg direction="in" type="o" name="object_path"/>
                </method>
            """;

    /** Only on the current interface: new in this server. */
    private static final String SERVER_ADDITIONS = """
                <method name="AddClient">
                  <arg direction="in" type="s" name="name"/>
                  <arg direction="in" type="a{ss}" name="options"/>
                  <arg direction="out" type="o" name="object_path"/>
                </method>
                <property name="Address" type="s" access="read">
                  <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>
                </property>
                <property name="Port" type="q" access="read">
                  <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>
                </property>
                <property name="Interface" type="s" access="read">
                  <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>
                </property>
                <property name="ServiceName" type="s" access="read">
                  <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/>
                </property>
                <property name="ClientCount" type="u" access="read"/>
            """;

    private static final String CLIENT_MEMBERS = """
                <signal name="CheckerCompleted">
                  <arg type="n" name="exitcode"/>
                  <arg type="x" name="waitstatus"/>
                  <arg type="s" name="command"/>
                </signal>
                <signal name="CheckerStarted">
                  <arg type="s" name="command"/>
                </signal>
                <signal name="PropertyChanged">
                  <arg type="s" name="property"/>
                  <arg type="v" name="value"/>
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </signal>
                <signal name="GotSecret"/>
                <signal name="Rejected">
                  <arg type="s" name="reason"/>
                </signal>
                <signal name="NeedApproval">
                  <arg type="t" name="timeout"/>
                  <arg type="b" name="default"/>
                </signal>
                <method name="Approve">
                  <arg direction="in" type="b" name="value"/>
                </method>
                <method name="CheckedOK"/>
                <method name="Enable">
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </method>
                <method name="StartChecker">
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </method>
                <method name="Disable">
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </method>
                <method name="StopChecker">
                  <annotation name="org.freedesktop.DBus.Deprecated" value="true"/>
                </method>
            """;

    private Introspection() {}

    static String server() {
        return HEADER + "<node name=\"/\">\n" + INTROSPECTABLE + OBJECT_MANAGER + PROPERTIES
                + "  <interface name=\"" + DBusNames.SERVER_INTERFACE + "\">\n" + SERVER_MEMBERS + SERVER_ADDITIONS
                + "  </interface>\n"
                + "  <interface name=\"" + DBusNames.OLD_SERVER_INTERFACE + "\">\n" + SERVER_MEMBERS + DEPRECATED
                + "  </interface>\n"
                + "  <node name=\"clients\"/>\n</node>\n";
    }

    /** {@code /clients}: no interfaces of its own, its children listed. */
    static String clientsNode(Collection<String> childPaths) {
        StringBuilder sb = new StringBuilder(HEADER).append("<node name=\"").append(DBusNames.CLIENTS_PATH)
                .append("\">\n").append(INTROSPECTABLE);
        for (String path : childPaths) {
            sb.append("  <node name=\"").append(path.substring(DBusNames.CLIENTS_PATH.length() + 1)).append("\"/>\n");
        }
        return sb.append("</node>\n").toString();
    }

    static String client(String path) {
        return HEADER + "<node name=\"" + path + "\">\n" + INTROSPECTABLE + PROPERTIES
                + "  <interface name=\"" + DBusNames.CLIENT_INTERFACE + "\">\n" + CLIENT_MEMBERS
                + clientProperties(DBusNames.CLIENT_INTERFACE) + "  </interface>\n"
                + "  <interface name=\"" + DBusNames.OLD_CLIENT_INTERFACE + "\">\n" + CLIENT_MEMBERS
                + clientProperties(DBusNames.OLD_CLIENT_INTERFACE) + DEPRECATED + "  </interface>\n</node>\n";
    }

    private static String clientProperties(String iface) {
        StringBuilder sb = new StringBuilder();
        for (ClientProperty p : ClientProperty.ALL) {
            if (!p.on(iface)) continue;
            sb.append("    <property name=\"").append(p.dbusName).append("\" type=\"").append(p.signature)
                    .append("\" access=\"").append(p.access.xml).append('"');
            if (p.emits == ClientProperty.Emits.TRUE && !p.deprecated()) {
                sb.append("/>\n");
                continue;
            }
            sb.append(">\n");
            if (p.emits != ClientProperty.Emits.TRUE) {
                sb.append("      <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"")
                        .append(p.emits.name().toLowerCase(java.util.Locale.ROOT)).append("\"/>\n");
            }
            if (p.deprecated()) sb.append(DEPRECATED);
            sb.append("    </property>\n");
        }
        return sb.toString();
    }
}
