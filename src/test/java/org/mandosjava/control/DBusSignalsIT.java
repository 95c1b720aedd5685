package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.keys.Pem;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.DBusMonitor;
import org.mandosjava.testing.DBusMonitor.Signal;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * What {@code dbus-monitor} sees our server emit, in order, for the documented events (spec §7):
 * an unknown key, an approval, a secret sent without one.
 */
class DBusSignalsIT {
    private static final String NEW = "se.recompile.Mandos";
    private static final String OLD = "se.bsnet.fukt.Mandos";
    /** Interfaces of the signals the server sends. */
    private static final String[] OURS = {NEW, OLD, "org.freedesktop.DBus.Properties",
            "org.freedesktop.DBus.ObjectManager"};
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir static Path tmp;
    static Keys alpha;
    static Keys stranger;
    static String clientsConf;

    @BeforeAll
    static void keys() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        alpha = DBusFixture.keys(tmp.resolve("alpha"), "alpha");
        stranger = DBusFixture.keys(tmp.resolve("stranger"), "stranger");
        clientsConf = DBusFixture.clientsConf(alpha);
    }

    @Test
    void unknownKeyApprovalAndSecretSentAreSignalledInOrder() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus);
                DBusMonitor monitor = DBusMonitor.start(bus, tmp.resolve("monitor"))) {
            // 1. An unknown key: ClientNotFound(key_id, address) on both interfaces, new first.
            CommandResult refused = MandosClients.runReal(stranger, server.connectAddress(), Duration.ofSeconds(3));
            assertThat(refused.stdout()).isEmpty();
            String strangerKeyId = KeyId.of(Pem.decode(Pem.PUBLIC_KEY, Files.readString(stranger.tlsPublicKey())));
            List<Signal> notFound = awaitSignals(monitor, s -> s.member().equals("ClientNotFound"), 2);
            // The client retries every second: one pair per attempt.
            assertThat(notFound).extracting(Signal::iface).startsWith(NEW, OLD);
            for (int i = 0; i < notFound.size() - 1; i += 2) {
                assertThat(List.of(notFound.get(i).iface(), notFound.get(i + 1).iface())).containsExactly(NEW, OLD);
            }
            assertThat(notFound).allSatisfy(s -> {
                assertThat(s.path()).isEqualTo("/");
                assertThat(s.args()).containsExactly("string \"" + strangerKeyId + "\"", "string \"::1\"");
            });

            // 2. An approval: pending, NeedApproval(30 s, deny by default), then after Approve(true) the secret.
            try (ManagedProcess client = MandosClients.startReal(alpha, server.connectAddress(), CLIENT_TIMEOUT,
                    Files.createDirectories(tmp.resolve("client-approve")))) {
                awaitSignals(monitor, s -> s.member().equals("NeedApproval"), 2);
                MandosCtl.real(bus, "--approve", "alpha").assertSuccess();
                assertThat(client.waitFor(CLIENT_TIMEOUT)).isZero();
            }
            List<Signal> approval = awaitSignals(monitor, s -> s.member().equals("GotSecret"), 2);
            assertThat(names(approval, "/clients/alpha")).containsSubsequence(
                    "PropertyChanged NEW ApprovalPending true", "PropertyChanged OLD ApprovalPending true",
                    "PropertiesChanged ApprovalPending true",
                    "PropertyChanged NEW LastApprovalRequest", "PropertyChanged OLD LastApprovalRequest",
                    "NeedApproval NEW uint64 30000 false", "NeedApproval OLD uint64 30000 false",
                    "PropertyChanged NEW ApprovalPending false", "PropertyChanged OLD ApprovalPending false",
                    "GotSecret NEW", "GotSecret OLD");

            // 3. A secret sent without approval: GotSecret, no NeedApproval.
            MandosCtl.real(bus, "--approval-delay", "PT0S", "--approve-by-default", "alpha").assertSuccess();
            int before = monitor.signals(OURS).size();
            CommandResult sent = MandosClients.runReal(alpha, server.connectAddress(), CLIENT_TIMEOUT);
            assertThat(sent.assertSuccess().stdout()).isEqualTo(DBusFixture.ALPHA_PASSWORD);
            List<Signal> all = awaitSignals(monitor, s -> s.member().equals("GotSecret"), 4);
            List<String> third = names(all.subList(before, all.size()), "/clients/alpha");
            assertThat(third).containsSubsequence("PropertyChanged NEW Expires", "PropertyChanged OLD Expires",
                    "GotSecret NEW", "GotSecret OLD");
            assertThat(third).noneMatch(n -> n.startsWith("NeedApproval"));
        }
    }

    /**
     * Waits until at least {@code count} signals match; returns the matching ones (for {@code
     * ClientNotFound}) or, when other signals came too, every signal seen so far.
     */
    private static List<Signal> awaitSignals(DBusMonitor monitor, Predicate<Signal> which, int count)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Signal> signals = monitor.signals(OURS);
            List<Signal> matching = signals.stream().filter(which).toList();
            if (matching.size() >= count) {
                return which.test(new Signal("/", NEW, "ClientNotFound", List.of())) ? matching : signals;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("signals seen: " + signals);
            Thread.sleep(50); // polling, bounded by the deadline
        }
    }

    /** Compact names of the signals on {@code path}: member, NEW/OLD interface, then the arguments' values. */
    private static List<String> names(List<Signal> signals, String path) {
        return signals.stream().filter(s -> s.path().equals(path)).map(s -> {
            StringBuilder sb = new StringBuilder(s.member());
            if (s.iface().equals(NEW + ".Client")) sb.append(" NEW");
            if (s.iface().equals(OLD + ".Client")) sb.append(" OLD");
            for (String arg : s.args()) {
                String value = arg.replaceFirst("^(variant\\s+)?(string|boolean|uint64) ", "$2 ").replace("\"", "");
                if (value.startsWith("string ") && !value.equals("string " + NEW + ".Client")) value = value.substring(7);
                else if (value.startsWith("boolean ")) value = value.substring(8);
                else if (value.startsWith("string ")) continue;
                if (value.startsWith("array [") || value.equals("]") || value.startsWith("dict entry(")
                        || value.equals(")") || value.startsWith("variant") && value.length() < 9) continue;
                sb.append(' ').append(value);
            }
            return sb.toString().replaceAll("\\d{4}-\\d\\d-\\d\\dT\\S+", "").replaceAll("\\s+", " ").strip();
        }).toList();
    }

    @Test
    void clientsAreAnnouncedAtStartupAndWithdrawnAtShutdown() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-lifecycle"));
                DBusMonitor monitor = DBusMonitor.start(bus, tmp.resolve("monitor-lifecycle"))) {
            try (MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
                List<Signal> added = awaitSignals(monitor, s -> s.member().equals("ClientAdded"), 8);
                assertThat(added.stream().filter(s -> s.member().equals("InterfacesAdded")).map(s -> s.args().get(0)))
                        .containsExactly("object path \"/clients/alpha\"", "object path \"/clients/beta\"",
                                "object path \"/clients/gamma_x_y\"", "object path \"/clients/delta\"");
                assertThat(added.stream().filter(s -> s.member().equals("ClientAdded")).map(Signal::iface))
                        .containsExactly(NEW, OLD, NEW, OLD, NEW, OLD, NEW, OLD);
            } // SIGTERM: the server withdraws its objects as it leaves
            List<Signal> removed = awaitSignals(monitor, s -> s.member().equals("InterfacesRemoved"), 4);
            assertThat(removed.stream().filter(s -> s.member().equals("InterfacesRemoved")))
                    .allSatisfy(s -> assertThat(String.join(" ", s.args())).contains(
                            "org.freedesktop.DBus.Introspectable", "org.freedesktop.DBus.Properties",
                            NEW + ".Client", OLD + ".Client"));
            assertThat(removed.stream().filter(s -> s.member().equals("ClientRemoved"))).hasSize(8);
        }
    }
}
