package org.mandosjava.tools.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.control.BusConnection;
import org.mandosjava.control.MandosDBus;

/**
 * {@code mandos-ctl}: lists and controls the clients of a running Mandos server over D-Bus, with
 * the options, output and exit statuses of mandos-ctl 1.8.16 (spec §10). Unlike it, a server with
 * no clients gives an empty table instead of a crash.
 */
public final class CtlMain {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final String VERSION = "1.8.16";

    private static final String BUS_NAME = "se.recompile.Mandos";
    private static final String SERVER_PATH = "/";
    private static final String SERVER_INTERFACE = "se.recompile.Mandos";
    private static final String CLIENT_INTERFACE = "se.recompile.Mandos.Client";
    private static final String PROPERTIES = "org.freedesktop.DBus.Properties";
    private static final String OBJECT_MANAGER = "org.freedesktop.DBus.ObjectManager";

    private final PrintStream out;
    private final PrintStream err;
    private boolean debug;
    /** Paths already "connected to", for --debug lines like the original's (it caches a proxy per path). */
    private final java.util.Set<String> proxies = new java.util.HashSet<>();

    CtlMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        return new CtlMain(System.out, System.err).main(args, MandosDBus.systemBusAddress());
    }

    int main(String[] args, String busAddress) {
        CtlArguments arguments;
        try {
            arguments = CtlArguments.parse(args, err);
        } catch (CtlArguments.UsageException e) {
            err.print(CtlArguments.USAGE);
            err.println("mandos-ctl: error: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (arguments.help) {
            out.print(CtlArguments.HELP);
            return EXIT_OK;
        }
        if (arguments.version) {
            out.println("mandos-ctl " + VERSION);
            return EXIT_OK;
        }
        if (arguments.check) return CtlSelfTest.run(out);
        debug = arguments.debug;
        Logger.getLogger("org.freedesktop.dbus").setLevel(Level.WARNING);

        BusConnection bus;
        try {
            bus = BusConnection.open(busAddress);
        } catch (IOException | DBusException | RuntimeException e) {
            err.println("Could not connect to Mandos server: " + e.getMessage());
            return EXIT_FAILURE;
        }
        try (bus) {
            Map<String, Map<String, Object>> all;
            try {
                all = clientsAndProperties(bus);
            } catch (BusConnection.ErrorReply e) {
                boolean noServer = e.name().equals("org.freedesktop.DBus.Error.ServiceUnknown")
                        || e.name().equals("org.freedesktop.DBus.Error.NameHasNoOwner");
                err.println(noServer ? "Could not connect to Mandos server: " + e.getMessage()
                        : "Failed to access Mandos server through D-Bus:\n" + e.getMessage());
                return EXIT_FAILURE;
            } catch (IOException | DBusException | RuntimeException e) {
                err.println("Failed to access Mandos server through D-Bus:\n" + e.getMessage());
                return EXIT_FAILURE;
            }
            Map<String, Map<String, Object>> clients = all;
            if (!arguments.clients.isEmpty()) {
                clients = new LinkedHashMap<>();
                for (String name : arguments.clients) {
                    String path = all.entrySet().stream().filter(e -> name.equals(e.getValue().get("Name")))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                    if (path == null) {
                        err.println("Client not found on server: " + PyRepr.of(name));
                        return EXIT_FAILURE;
                    }
                    clients.put(path, all.get(path));
                }
            }
            for (CtlCommand command : arguments.effectiveCommands()) {
                Integer exit = execute(command, clients, bus);
                if (exit != null) return exit;
            }
            return EXIT_OK;
        } catch (BusConnection.ErrorReply e) {
            err.println("mandos-ctl: D-Bus error: " + e.name() + ": " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IOException | DBusException | RuntimeException e) {
            err.println("mandos-ctl: D-Bus error: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    /** Runs one command on every selected client; an exit status if the command ends the run. */
    private Integer execute(CtlCommand command, Map<String, Map<String, Object>> clients, BusConnection bus)
            throws IOException, DBusException {
        switch (command) {
            case CtlCommand.PrintTable t -> out.println(ClientListing.table(new ArrayList<>(clients.values()),
                    t.verbose() ? ClientListing.verboseKeys(clients.values()) : ClientListing.DEFAULT_KEYS));
            case CtlCommand.DumpJson j -> out.println(ClientListing.json(new ArrayList<>(clients.values())));
            case CtlCommand.IsEnabled i -> {
                if (clients.isEmpty()) return EXIT_FAILURE;
                return Boolean.TRUE.equals(clients.values().iterator().next().get("Enabled")) ? EXIT_OK : EXIT_FAILURE;
            }
            case CtlCommand.Approve a -> {
                for (String path : clients.keySet()) {
                    call(bus, path, CLIENT_INTERFACE, "Approve", "b", a.approve());
                }
            }
            case CtlCommand.Remove r -> {
                for (String path : clients.keySet()) {
                    call(bus, SERVER_PATH, SERVER_INTERFACE, "RemoveClient", "o", new DBusPath(path));
                }
            }
            case CtlCommand.SetProperty s -> {
                for (String path : clients.keySet()) {
                    call(bus, path, PROPERTIES, "Set", "ssv", CLIENT_INTERFACE, s.property(), variant(s.value()));
                }
            }
        }
        return null;
    }

    private static Variant<?> variant(Object value) {
        return switch (value) {
            case Boolean b -> new Variant<>(b, "b");
            case Long ms -> new Variant<>(new UInt64(ms), "t");
            case byte[] bytes -> new Variant<>(bytes, "ay");
            default -> new Variant<>(String.valueOf(value), "s");
        };
    }

    /** GetManagedObjects, keeping the objects with a client interface, values made plain. */
    private Map<String, Map<String, Object>> clientsAndProperties(BusConnection bus) throws IOException, DBusException {
        Object[] reply = call(bus, SERVER_PATH, OBJECT_MANAGER, "GetManagedObjects", null);
        Map<String, Map<String, Object>> clients = new LinkedHashMap<>();
        if (reply.length == 0 || !(reply[0] instanceof Map<?, ?> objects)) return clients;
        for (Map.Entry<?, ?> object : objects.entrySet()) {
            if (!(object.getValue() instanceof Map<?, ?> interfaces)) continue;
            if (!(interfaces.get(CLIENT_INTERFACE) instanceof Map<?, ?> properties)) continue;
            Map<String, Object> plain = new LinkedHashMap<>();
            for (Map.Entry<?, ?> p : properties.entrySet()) plain.put(String.valueOf(p.getKey()), plain(p.getValue()));
            clients.put(path(object.getKey()), plain);
        }
        return clients;
    }

    private static String path(Object key) {
        return key instanceof DBusPath p ? p.getPath() : String.valueOf(key);
    }

    /** Booleans stay, every integer type becomes a Long, paths and the rest their text. */
    private static Object plain(Object value) {
        Object v = value instanceof Variant<?> variant ? variant.getValue() : value;
        if (v instanceof Boolean) return v;
        if (v instanceof UInt64 u) return u.longValue();
        if (v instanceof Number n) return n.longValue();
        if (v instanceof DBusPath p) return p.getPath();
        return String.valueOf(v);
    }

    private Object[] call(BusConnection bus, String path, String iface, String member, String signature,
            Object... args) throws IOException, DBusException {
        if (proxies.add(path)) debug("D-Bus: Connect to: (busname='" + BUS_NAME + "', path='" + path + "')");
        debug("D-Bus: " + BUS_NAME + ":" + path + ":" + iface + "." + member + "(" + debugArgs(args) + ")");
        return bus.call(BUS_NAME, path, iface, member, signature, args);
    }

    private static String debugArgs(Object[] args) {
        List<String> parts = new ArrayList<>();
        for (Object a : args) {
            Object v = a instanceof Variant<?> variant ? variant.getValue() : a;
            parts.add(switch (v) {
                case Boolean b -> b ? "True" : "False";
                case String s -> PyRepr.of(s);
                case DBusPath p -> PyRepr.of(p.getPath());
                case UInt64 u -> Long.toString(u.longValue());
                case byte[] bytes -> "b'…' (" + bytes.length + " bytes)";
                default -> String.valueOf(v);
            });
        }
        return String.join(", ", parts);
    }

    private void debug(String message) {
        if (debug) err.println(message);
    }
}
