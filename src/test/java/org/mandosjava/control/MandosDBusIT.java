package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.SystemScheduler;
import org.mandosjava.testing.DBusMonitor;
import org.mandosjava.testing.PrivateSystemBus;

/** The D-Bus API in process, on a private bus, called at the message level: the details tools rely on. */
class MandosDBusIT {
    private static final String DEST = DBusNames.BUS_NAME;
    private static final List<String> NAMES = List.of("a.b", "a_b", "a-b", "x y", "ünï/é", "plain");

    @TempDir Path tmp;
    private PrivateSystemBus bus;
    private SystemScheduler scheduler;
    private ClientRegistry registry;
    private MandosDBus service;
    private BusConnection client;

    @BeforeEach
    void start() throws Exception {
        bus = PrivateSystemBus.start(tmp.resolve("bus"));
        scheduler = new SystemScheduler();
        List<ClientConfig> configs = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) configs.add(config(NAMES.get(i), Integer.toHexString(i + 1)));
        registry = new ClientRegistry(configs, scheduler, new CheckerRunner());
        service = MandosDBus.start(registry, new MandosDBus.ServerInfo("::1", 1234, "", "Mandos"), bus.address());
        client = BusConnection.open(bus.address());
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (service != null) service.close();
        if (registry != null) registry.close();
        if (scheduler != null) scheduler.close();
        if (bus != null) bus.close();
    }

    private static ClientConfig config(String name, String hexDigit) {
        return new ClientConfig(name, hexDigit.toUpperCase().repeat(64), "F".repeat(40),
                "secret".getBytes(StandardCharsets.UTF_8), "host-" + name.length(), "true", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO, Duration.ofSeconds(1), true, true,
                Map.of(), Path.of("clients.conf"), 1);
    }

    private Object[] call(String path, String iface, String member, String signature, Object... args) throws Exception {
        return client.call(DEST, path, iface, member, signature, args);
    }

    @SuppressWarnings("unchecked")
    private Map<DBusPath, Map<String, Map<String, Variant<?>>>> managedObjects() throws Exception {
        return (Map<DBusPath, Map<String, Map<String, Variant<?>>>>) call("/", DBusNames.OBJECT_MANAGER,
                "GetManagedObjects", null)[0];
    }

    private Object get(String path, String iface, String property) throws Exception {
        return ((Variant<?>) call(path, DBusNames.PROPERTIES, "Get", "ss", iface, property)[0]).getValue();
    }

    private static String errorName(ThrowingCall call) {
        try {
            call.run();
        } catch (BusConnection.ErrorReply e) {
            return e.name();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void everyNameGetsAValidUniquePathAndTheOriginalsWhereUnambiguous() throws Exception {
        Map<String, String> pathByName = new LinkedHashMap<>();
        managedObjects().forEach((path, interfaces) -> pathByName.put(
                (String) interfaces.get(DBusNames.CLIENT_INTERFACE).get("Name").getValue(), path.getPath()));
        assertThat(pathByName).containsExactly(
                Map.entry("a.b", "/clients/a_b"), Map.entry("a_b", "/clients/_a_5fb"),
                Map.entry("a-b", "/clients/_a_2db"), Map.entry("x y", "/clients/_x_20y"),
                Map.entry("ünï/é", "/clients/_" + "_c3_bcn_c3_af_2f_c3_a9"), Map.entry("plain", "/clients/plain"));
        for (Map<String, Map<String, Variant<?>>> interfaces : managedObjects().values()) {
            assertThat(interfaces.keySet()).containsExactlyInAnyOrder(DBusNames.INTROSPECTABLE, DBusNames.PROPERTIES,
                    DBusNames.CLIENT_INTERFACE, DBusNames.OLD_CLIENT_INTERFACE);
            assertThat(interfaces.get(DBusNames.PROPERTIES)).isEmpty();
            // The original's 21 under both names; the current one also has ours (KeyExpires).
            assertThat(interfaces.get(DBusNames.OLD_CLIENT_INTERFACE)).hasSize(21).doesNotContainKey("Secret");
            assertThat(interfaces.get(DBusNames.CLIENT_INTERFACE)).hasSize(22)
                    .containsAllEntriesOf(interfaces.get(DBusNames.OLD_CLIENT_INTERFACE)).containsKey("KeyExpires");
        }
        assertThat(((DBusPath) get("/clients/_x_20y", DBusNames.CLIENT_INTERFACE, "ObjectPath")).getPath())
                .isEqualTo("/clients/_x_20y");
    }

    @Test
    void propertiesUnderEitherInterfaceNameWithTheOriginalsErrors() throws Exception {
        String path = "/clients/plain";
        assertThat(get(path, DBusNames.CLIENT_INTERFACE, "Name")).isEqualTo("plain");
        assertThat(get(path, DBusNames.OLD_CLIENT_INTERFACE, "Name")).isEqualTo("plain");
        assertThat(get(path, "", "KeyID")).isEqualTo("6".repeat(64));
        assertThat(get(path, "", "LastCheckerStatus")).isEqualTo((short) -2);
        assertThat(get(path, "", "Timeout")).isEqualTo(new UInt64(300000));
        assertThat(get(path, "", "Expires")).isEqualTo("");
        assertThat((String) get(path, "", "Created")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        @SuppressWarnings("unchecked")
        Map<String, Variant<?>> all = (Map<String, Variant<?>>) call(path, DBusNames.PROPERTIES, "GetAll", "s", "")[0];
        assertThat(all).hasSize(22).doesNotContainKey("Secret").containsKey("KeyExpires");
        @SuppressWarnings("unchecked")
        Map<String, Variant<?>> old = (Map<String, Variant<?>>) call(path, DBusNames.PROPERTIES, "GetAll", "s",
                DBusNames.OLD_CLIENT_INTERFACE)[0];
        assertThat(old).hasSize(21).doesNotContainKey("KeyExpires");
        assertThat((Map<?, ?>) call(path, DBusNames.PROPERTIES, "GetAll", "s", "org.example.Other")[0]).isEmpty();

        assertThat(errorName(() -> get(path, "", "Secret"))).isEqualTo(DBusNames.ERROR_PROPERTY_ACCESS);
        assertThat(errorName(() -> get(path, "", "Nonsense"))).isEqualTo(DBusNames.ERROR_PROPERTY_NOT_FOUND);
        assertThat(errorName(() -> call(path, DBusNames.PROPERTIES, "Set", "ssv", "", "Name", new Variant<>("x"))))
                .isEqualTo(DBusNames.ERROR_PROPERTY_ACCESS);
        assertThat(errorName(() -> call("/", DBusNames.SERVER_INTERFACE, "RemoveClient", "o",
                new DBusPath("/clients/nobody")))).isEqualTo(DBusNames.ERROR_KEY);
        assertThat(errorName(() -> call("/clients/nobody", DBusNames.CLIENT_INTERFACE, "CheckedOK", null)))
                .isEqualTo(DBusNames.ERROR_UNKNOWN_OBJECT);

        // dbus-python sends a Python int as Int32: accepted for a UInt64 property.
        call(path, DBusNames.PROPERTIES, "Set", "ssv", DBusNames.CLIENT_INTERFACE, "Timeout", new Variant<>(5000, "i"));
        assertThat(get(path, "", "Timeout")).isEqualTo(new UInt64(5000));
        assertThat(registry.status("plain").orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(5));
        // A call may leave out the interface: it is found by the member's name.
        assertThat(((Variant<?>) call(path, null, "Get", "ss", "", "Host")[0]).getValue()).isEqualTo("host-5");
        call(path, null, "CheckedOK", null);
        assertThat(get(path, "", "LastCheckerStatus")).isEqualTo((short) 0);
        call(path, DBusNames.OLD_CLIENT_INTERFACE, "Disable", null);
        assertThat(get(path, "", "Enabled")).isEqualTo(false);
    }

    @Test
    void keyExpiresIsOursOnTheCurrentInterfaceSettableAndAnExpiredKeyIsRejectedWithItsReason() throws Exception {
        String path = "/clients/plain";
        assertThat(get(path, "", "KeyExpires")).isEqualTo("");
        assertThat(get(path, DBusNames.CLIENT_INTERFACE, "KeyExpires")).isEqualTo("");
        assertThat(errorName(() -> get(path, DBusNames.OLD_CLIENT_INTERFACE, "KeyExpires")))
                .isEqualTo(DBusNames.ERROR_PROPERTY_NOT_FOUND);
        assertThat(errorName(() -> call(path, DBusNames.PROPERTIES, "Set", "ssv", "", "KeyExpires",
                new Variant<>("next June")))).isEqualTo(DBusNames.ERROR_INVALID_ARGS);

        call(path, DBusNames.PROPERTIES, "Set", "ssv", "", "KeyExpires", new Variant<>("2099-06-30T02:00:00+02:00"));
        String shown = (String) get(path, "", "KeyExpires");
        assertThat(shown).isEqualTo("2099-06-30T00:00:00.000000");
        call(path, DBusNames.PROPERTIES, "Set", "ssv", "", "KeyExpires", new Variant<>(shown)); // Get, then Set back
        assertThat(get(path, "", "KeyExpires")).isEqualTo(shown);

        try (DBusMonitor monitor = DBusMonitor.start(bus, tmp.resolve("monitor-expiry"))) {
            call(path, DBusNames.PROPERTIES, "Set", "ssv", DBusNames.CLIENT_INTERFACE, "KeyExpires",
                    new Variant<>("2001-01-01"));
            var decision = registry.requestSecret("6".repeat(64), "::1", () -> true);
            assertThat(decision).isEqualTo(new org.mandosjava.server.Decision.Refuse("plain", "key expired"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<DBusMonitor.Signal> signals;
            do {
                signals = monitor.signals("se.", DBusNames.PROPERTIES);
                Thread.sleep(50); // polling, bounded by the deadline
            } while (signals.stream().filter(s -> s.member().equals("Rejected")).count() < 2
                    && System.nanoTime() < deadline);
            List<String> seen = signals.stream().filter(s -> s.path().equals(path))
                    .map(s -> s.iface() + "." + s.member() + " " + String.join(" ", s.args())).toList();
            assertThat(seen).hasSize(4);
            assertThat(seen.get(0)).startsWith(DBusNames.CLIENT_INTERFACE + ".PropertyChanged string \"KeyExpires\"")
                    .contains("2001-01-01T00:00:00.000000");
            assertThat(seen.get(1)).startsWith(DBusNames.PROPERTIES + ".PropertiesChanged string \""
                    + DBusNames.CLIENT_INTERFACE + "\"").contains("\"KeyExpires\"", "2001-01-01T00:00:00.000000");
            assertThat(seen.get(2)).isEqualTo(DBusNames.CLIENT_INTERFACE + ".Rejected string \"key expired\"");
            assertThat(seen.get(3)).isEqualTo(DBusNames.OLD_CLIENT_INTERFACE + ".Rejected string \"key expired\"");
        }
    }

    @Test
    void changesAreSignalledOnceAndTheSecretOnlyAsInvalidated() throws Exception {
        try (DBusMonitor monitor = DBusMonitor.start(bus, tmp.resolve("monitor"))) {
            String path = "/clients/plain";
            for (int i = 0; i < 2; i++) {
                call(path, DBusNames.PROPERTIES, "Set", "ssv", "", "Host", new Variant<>("new-host"));
            }
            call(path, DBusNames.PROPERTIES, "Set", "ssv", "", "Secret",
                    new Variant<>("new".getBytes(StandardCharsets.UTF_8), "ay"));
            call(path, DBusNames.CLIENT_INTERFACE, "Approve", "b", true);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<DBusMonitor.Signal> signals;
            do {
                signals = monitor.signals("se.", DBusNames.PROPERTIES);
                Thread.sleep(50); // polling, bounded by the deadline
            } while (signals.stream().noneMatch(s -> s.args().toString().contains("Secret"))
                    && System.nanoTime() < deadline);
            List<String> seen = signals.stream().filter(s -> s.path().equals(path))
                    .map(s -> s.iface() + "." + s.member() + " " + String.join(" ", s.args())).toList();
            assertThat(seen).hasSize(4);
            assertThat(seen.get(0)).startsWith(DBusNames.CLIENT_INTERFACE + ".PropertyChanged string \"Host\"")
                    .contains("new-host");
            assertThat(seen.get(1)).startsWith(DBusNames.OLD_CLIENT_INTERFACE + ".PropertyChanged string \"Host\"");
            assertThat(seen.get(2)).startsWith(DBusNames.PROPERTIES + ".PropertiesChanged string \""
                    + DBusNames.CLIENT_INTERFACE + "\"").contains("\"Host\"", "new-host");
            assertThat(seen.get(3)).startsWith(DBusNames.PROPERTIES + ".PropertiesChanged")
                    .contains("array [ ] array [ string \"Secret\" ]");
        }
        var decision = registry.requestSecret("6".repeat(64), "::1", () -> true);
        assertThat(decision).isInstanceOf(org.mandosjava.server.Decision.Send.class);
        assertThat(((org.mandosjava.server.Decision.Send) decision).secret())
                .isEqualTo("new".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void addClientAndServerProperties() throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("key_id", "9".repeat(64));
        options.put("fingerprint", "9".repeat(40));
        options.put("secret", "c2VjcmV0");
        options.put("timeout", "PT1H");
        options.put("checker", "fping -q -- %%(host)s");
        Object[] reply = call("/", DBusNames.SERVER_INTERFACE, "AddClient", "sa{ss}", "new.one", options);
        assertThat(((DBusPath) reply[0]).getPath()).isEqualTo("/clients/new_one");
        assertThat(get("/clients/new_one", "", "Timeout")).isEqualTo(new UInt64(3600000));
        assertThat(get("/clients/new_one", "", "Checker")).isEqualTo("fping -q -- %(host)s");
        assertThat(registry.status("new.one")).isPresent();
        assertThat(errorName(() -> call("/", DBusNames.SERVER_INTERFACE, "AddClient", "sa{ss}", "new.one", options)))
                .isEqualTo(DBusNames.ERROR_INVALID_ARGS);
        assertThat(errorName(() -> call("/", DBusNames.SERVER_INTERFACE, "AddClient", "sa{ss}", "bad",
                Map.of("key_id", "1".repeat(64), "timeout", "soon")))).isEqualTo(DBusNames.ERROR_INVALID_ARGS);
        assertThat(errorName(() -> call("/", DBusNames.SERVER_INTERFACE, "AddClient", "sa{ss}", "reader",
                Map.of("key_id", "2".repeat(64), "secfile", "/etc/shadow")))).isEqualTo(DBusNames.ERROR_INVALID_ARGS);
        assertThat(registry.status("reader")).isEmpty();

        assertThat(get("/", DBusNames.SERVER_INTERFACE, "Port")).isEqualTo(new UInt16(1234));
        assertThat(get("/", "", "Address")).isEqualTo("::1");
        assertThat(get("/", "", "ServiceName")).isEqualTo("Mandos");
        assertThat(get("/", "", "ClientCount")).isEqualTo(new UInt32(NAMES.size() + 1));
        call("/", DBusNames.OLD_SERVER_INTERFACE, "RemoveClient", "o", new DBusPath("/clients/new_one"));
        assertThat(get("/", "", "ClientCount")).isEqualTo(new UInt32(NAMES.size()));
        assertThat(registry.status("new.one")).isEmpty();
        assertThat((List<?>) call("/", DBusNames.OLD_SERVER_INTERFACE, "GetAllClients", null)[0]).hasSize(NAMES.size());
        assertThat((Map<?, ?>) call("/", DBusNames.SERVER_INTERFACE, "GetAllClientsWithProperties", null)[0])
                .hasSize(NAMES.size());
    }

    @Test
    void introspectionIsWellFormedXmlWithBothInterfaces() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (String path : List.of("/", "/clients", "/clients/a_b")) {
            String xml = (String) call(path, DBusNames.INTROSPECTABLE, "Introspect", null)[0];
            factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }
        String clients = (String) call("/clients", DBusNames.INTROSPECTABLE, "Introspect", null)[0];
        assertThat(clients).contains("<node name=\"a_b\"/>", "<node name=\"_x_20y\"/>", "<node name=\"plain\"/>");
        String one = (String) call("/clients/a_b", DBusNames.INTROSPECTABLE, "Introspect", null)[0];
        assertThat(one).contains("<interface name=\"se.recompile.Mandos.Client\">",
                "<interface name=\"se.bsnet.fukt.Mandos.Client\">",
                "<property name=\"Secret\" type=\"ay\" access=\"write\">",
                "<annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"invalidates\"/>");
        String root = (String) call("/", DBusNames.INTROSPECTABLE, "Introspect", null)[0];
        assertThat(root).contains("<method name=\"AddClient\">", "<interface name=\"se.bsnet.fukt.Mandos\">");
    }

    private static BusConnection.ErrorReply errorReply(ThrowingCall call) {
        try {
            call.run();
        } catch (BusConnection.ErrorReply e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error");
    }

    @Test
    void unknownMembersGetTheOriginalsErrorAndUnknownPathsUnknownObject() throws Exception {
        var unknown = errorReply(() -> call("/clients/plain", DBusNames.CLIENT_INTERFACE, "Frobnicate", null));
        assertThat(unknown.name()).isEqualTo("org.freedesktop.DBus.Error.UnknownMethod");
        assertThat(unknown.getMessage())
                .isEqualTo("Unknown method: Frobnicate is not a valid method of interface se.recompile.Mandos.Client");
        assertThat(errorReply(() -> call("/", null, "Frobnicate", null)).getMessage())
                .isEqualTo("Unknown method: Frobnicate is not a valid method");
        // AddClient is new, so only on the current interface name.
        assertThat(errorName(() -> call("/", DBusNames.OLD_SERVER_INTERFACE, "AddClient", "sa{ss}", "x", Map.of())))
                .isEqualTo(DBusNames.ERROR_UNKNOWN_METHOD);
        assertThat(errorName(() -> call("/clients/plain", DBusNames.CLIENT_INTERFACE, "Approve", "s", "yes")))
                .isEqualTo(DBusNames.ERROR_UNKNOWN_METHOD);
        assertThat(errorName(() -> call("/clients/plain", DBusNames.SERVER_INTERFACE, "GetAllClients", null)))
                .isEqualTo(DBusNames.ERROR_UNKNOWN_METHOD);
        assertThat(errorName(() -> call("/nowhere", DBusNames.CLIENT_INTERFACE, "Enable", null)))
                .isEqualTo(DBusNames.ERROR_UNKNOWN_OBJECT);
        assertThat(errorName(() -> call("/nowhere", DBusNames.INTROSPECTABLE, "Introspect", null)))
                .isEqualTo(DBusNames.ERROR_UNKNOWN_OBJECT);
        assertThat(call("/nowhere", DBusNames.PEER, "Ping", null)).isEmpty();
        assertThat(get("/clients/plain", "", "Enabled")).isEqualTo(true);
    }

    @Test
    void aSecondServerCannotHaveTheNames() {
        assertThatThrownBy(() -> MandosDBus.start(registry, new MandosDBus.ServerInfo("", 1, "", "Mandos"),
                bus.address())).isInstanceOf(MandosDBus.UnavailableException.class).hasMessageContaining("is taken");
        assertThatThrownBy(() -> MandosDBus.start(registry, new MandosDBus.ServerInfo("", 1, "", "Mandos"),
                "unix:path=" + tmp.resolve("no-such-socket"))).isInstanceOf(MandosDBus.UnavailableException.class);
    }
}
