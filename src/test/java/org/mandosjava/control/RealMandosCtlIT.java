package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * The real Debian {@code mandos-ctl} 1.8.16 against our server's D-Bus API: the same scenario run
 * against the real Python server and ours must print the same, timestamps aside; and approve/deny
 * act on a real waiting {@code mandos-client}.
 */
class RealMandosCtlIT {
    @TempDir static Path tmp;
    static Keys alpha;
    static String clientsConf;

    @BeforeAll
    static void keys() throws Exception {
        // Servers drop privileges: they must reach the bus sockets made under here.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        alpha = DBusFixture.keys(tmp.resolve("alpha"), "alpha");
        clientsConf = DBusFixture.clientsConf(alpha);
    }

    /** One step: mandos-ctl arguments, or a wait until the named client has no checker running. */
    record Step(String... args) {
        static Step awaitNoChecker(String client) {
            return new Step("<await no checker>", client);
        }
    }

    static final List<Step> SCENARIO = List.of(
            new Step(), new Step("--verbose"), new Step("--dump-json"), new Step("beta"),
            new Step("-v", "beta", "gamma.x-y"), new Step("-j", "delta"),
            new Step("--is-enabled", "beta"), new Step("--is-enabled", "delta"), new Step("nosuch"),
            new Step("--disable", "beta"), new Step("-V", "beta"), new Step("-v"),
            new Step("--enable", "beta", "delta"), new Step("-V", "delta"), new Step("-v"),
            new Step("--timeout", "PT10M", "beta"), new Step("-t", "90s", "gamma.x-y"),
            new Step("--interval", "P19D", "beta"), Step.awaitNoChecker("beta"),
            new Step("--checker", "fping -q -- %(host)s", "beta"),
            new Step("--extended-timeout", "PT20M", "--approval-delay", "PT5S", "--approval-duration", "2s",
                    "--deny-by-default", "-H", "newhost", "beta"),
            new Step("--approve-by-default", "delta"), new Step("-b", "gamma.x-y"),
            new Step("-v"), new Step("-j"),
            new Step("--remove", "gamma.x-y"), new Step(), new Step("-j"),
            new Step("-r", "beta", "delta"), new Step("-v", "alpha"),
            new Step("--verbose", "--enable", "alpha"), new Step("--dump-json", "--enable", "alpha"),
            new Step("--all"), new Step("--enable"), new Step("--debug", "-d", "-t", "PT2M", "alpha"));

    @Test
    void printsTheSameAgainstOurServerAsAgainstThePythonServer() throws Exception {
        List<String> python;
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-python"));
                MandosServerProcess server = MandosServerProcess.startPythonOnBus(clientsConf, bus)) {
            python = run(bus, server, MandosCtl::real);
        }
        List<String> ours;
        String diagnostics;
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-ours"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
            ours = run(bus, server, MandosCtl::real);
            diagnostics = server.diagnostics();
        }
        assertThat(python).hasSize(SCENARIO.size());
        for (int i = 0; i < SCENARIO.size(); i++) {
            assertThat(ours.get(i)).as("step %d\n%s", i, diagnostics).isEqualTo(python.get(i));
        }
        // Not vacuous: the scenario showed clients and changed them.
        assertThat(String.join("\n", ours)).contains("newhost", "fping -q -- %(host)s", "00:10:00",
                "Client not found on server: 'nosuch'", "1T02:03:04");
    }

    /** Which mandos-ctl a scenario runs. */
    @FunctionalInterface
    interface Ctl {
        CommandResult run(PrivateSystemBus bus, String... args) throws Exception;
    }

    /** Runs {@link #SCENARIO}; each step's masked output, exit status and stderr. */
    static List<String> run(PrivateSystemBus bus, MandosServerProcess server, Ctl ctl) throws Exception {
        List<String> outputs = new ArrayList<>();
        for (Step step : SCENARIO) {
            if (step.args().length == 2 && step.args()[0].equals("<await no checker>")) {
                try {
                    DBusFixture.awaitJson(bus, step.args()[1], out -> out.contains("\"CheckerRunning\": false")
                            && out.contains("\"LastCheckerStatus\": 0"), "the checker to finish");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + server.diagnostics(), e);
                }
                outputs.add("(waited)");
                continue;
            }
            CommandResult r = ctl.run(bus, step.args());
            outputs.add("$ mandos-ctl " + String.join(" ", step.args()) + "\n"
                    + MandosCtl.sortedClients(MandosCtl.masked(r.stdoutText()))
                    + "exit " + r.exitStatus() + "\nstderr: " + MandosCtl.masked(r.stderr()));
        }
        return outputs;
    }

    @Test
    void approveReleasesAWaitingRealClientsPasswordAndDenyDoesNot() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-approve"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
            // Deny: the waiting request ends without the password; the client then asks again.
            try (ManagedProcess client = MandosClients.startReal(alpha, server.connectAddress(),
                    Duration.ofSeconds(90), Files.createDirectories(tmp.resolve("client-deny")))) {
                String pending = DBusFixture.awaitJson(bus, "alpha", out -> out.contains("\"ApprovalPending\": true"),
                        "alpha to wait for approval");
                String firstRequest = lastApprovalRequest(pending);
                MandosCtl.real(bus, "--deny", "alpha").assertSuccess();
                DBusFixture.awaitJson(bus, "alpha", out -> out.contains("\"ApprovalPending\": true")
                        && !lastApprovalRequest(out).equals(firstRequest), "alpha to ask again after the denial");
                assertThat(client.stdoutText()).as("password after a denial").isEmpty();
            }
            // Approve: the password arrives.
            try (ManagedProcess client = MandosClients.startReal(alpha, server.connectAddress(),
                    Duration.ofSeconds(90), Files.createDirectories(tmp.resolve("client-approve")))) {
                DBusFixture.awaitJson(bus, "alpha", out -> out.contains("\"ApprovalPending\": true"),
                        "alpha to wait for approval");
                assertThat(client.stdoutText()).isEmpty();
                MandosCtl.real(bus, "--approve", "alpha").assertSuccess();
                assertThat(client.waitFor(Duration.ofSeconds(30))).as(client.diagnostics()).isZero();
                assertThat(client.stdoutBytes()).isEqualTo(DBusFixture.ALPHA_PASSWORD);
            }
        }
    }

    /**
     * GetManagedObjects as dbus-send prints it, reduced to its shape: every object path, interface
     * name and property name with its D-Bus type (values differ by time).
     */
    @Test
    void managedObjectsHaveTheShapeOfThePythonServers() throws Exception {
        java.util.Set<String> python;
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-shape-python"));
                MandosServerProcess server = MandosServerProcess.startPythonOnBus(clientsConf, bus)) {
            python = shape(bus);
        }
        java.util.Set<String> ours;
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-shape-ours"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
            ours = shape(bus);
        }
        assertThat(python).contains("/clients/gamma_x_y se.bsnet.fukt.Mandos.Client LastCheckerStatus int16",
                "/clients/alpha org.freedesktop.DBus.Properties");
        // Ours has one addition, KeyExpires, on the current client interface only; the rest is the same.
        java.util.Set<String> expected = new java.util.TreeSet<>(python);
        for (String line : python) {
            if (line.endsWith(" se.recompile.Mandos.Client Name string")) {
                expected.add(line.substring(0, line.indexOf(' ')) + " se.recompile.Mandos.Client KeyExpires string");
            }
        }
        assertThat(expected).hasSizeGreaterThan(python.size());
        assertThat(ours).isEqualTo(expected);
    }

    private static java.util.Set<String> shape(PrivateSystemBus bus) throws Exception {
        CommandResult r = CommandResult.run(List.of("dbus-send", "--bus=" + bus.address(), "--print-reply",
                "--dest=se.recompile.Mandos", "/", "org.freedesktop.DBus.ObjectManager.GetManagedObjects"),
                Duration.ofSeconds(30), java.util.Map.of()).assertSuccess();
        java.util.Set<String> shape = new java.util.TreeSet<>();
        String path = null;
        String iface = null;
        String pendingName = null;
        for (String raw : r.stdoutText().split("\n")) {
            String line = raw.strip();
            int indent = raw.length() - raw.stripLeading().length();
            if (line.startsWith("object path \"") && indent <= 9) {
                path = line.substring(13, line.length() - 1);
            } else if (line.startsWith("string \"") && pendingName == null) {
                pendingName = line.substring(8, line.length() - 1);
            } else if (line.startsWith("variant") && pendingName != null) {
                String type = line.substring(7).strip().replaceFirst(" [^ ]*$", "").replaceFirst(" \".*$", "");
                shape.add(path + " " + iface + " " + pendingName + " " + type);
                pendingName = null;
            } else if (line.equals("array [") && pendingName != null) {
                iface = pendingName; // an interface name, its properties follow
                shape.add(path + " " + iface);
                pendingName = null;
            } else {
                pendingName = null;
            }
        }
        return shape;
    }

    private static String lastApprovalRequest(String json) {
        var m = java.util.regex.Pattern.compile("\"LastApprovalRequest\": \"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
