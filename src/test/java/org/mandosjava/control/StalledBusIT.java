package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.DBusMonitor;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * A bus daemon that stops reading (stopped, swapped out, overloaded) while clients fetch their
 * secrets: the real dbus-daemon, stopped with SIGSTOP under our server. Every secret is still
 * served at once, the signals reach the bus when it reads again, and a server stopping while the
 * bus is stalled leaves within its limit, starting no checker while it waits for the bus.
 */
class StalledBusIT {
    /** Enough signals to fill the socket to a stopped bus daemon many times over. */
    private static final int FETCHES = 400;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] SECRET = "alpha's password".getBytes(StandardCharsets.UTF_8);

    @TempDir Path tmp;

    @Test
    void secretsAreServedWhileTheBusIsStalledAndTheServerStillStopsInTime() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        var key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake client = new ClientHandshake(key.getPublic(), key.getPrivate());
        // beta's checker runs every second and notes when (seconds since boot, as /proc/uptime has them).
        Path checks = Files.createDirectory(tmp.resolve("checks"));
        Files.setPosixFilePermissions(checks, PosixFilePermissions.fromString("rwxrwxrwx")); // the server's user
        Path runs = checks.resolve("runs");
        String clientsConf = DBusFixture.DEFAULTS + "[alpha]\nkey_id = " + client.keyId() + "\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET) + "\n\n[beta]\nkey_id = " + "b".repeat(64)
                + "\nsecret = " + Base64.getEncoder().encodeToString(SECRET) + "\ninterval = PT1S\n"
                + "checker = cat /proc/uptime >> " + runs + "\n";
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus"));
                DBusMonitor monitor = DBusMonitor.start(bus, tmp.resolve("monitor"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
            try {
                signal(bus, "STOP");
                fetchAll(client, server);

                // The bus reads again: it gets every signal, in order, and answers for the server.
                signal(bus, "CONT");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (gotSecret(monitor) < 2 * FETCHES && System.nanoTime() < deadline) {
                    Thread.sleep(100); // polling, bounded by the deadline
                }
                assertThat(gotSecret(monitor)).as("GotSecret on both interfaces per fetch").isEqualTo(2 * FETCHES);
                String json = DBusFixture.awaitJson(bus, "alpha", j -> j.contains("\"LastCheckedOK\""), "alpha over D-Bus");
                assertThat(json).contains("\"Name\": \"alpha\"");

                // Stalled again, with the socket full: the server still stops, without waiting for the bus.
                signal(bus, "STOP");
                fetchAll(client, server);
                assertThat(checkerRuns(runs, 0)).as("beta's checker runs\n" + server.diagnostics()).isPositive();
                double stoppingUptime = uptime();
                long stopping = System.nanoTime();
                OptionalInt exit = server.terminate(MandosDBus.WITHDRAWAL_LIMIT.plus(Duration.ofSeconds(30)));
                assertThat(exit).as("exit status after SIGTERM\n" + server.diagnostics()).hasValue(0);
                assertThat(Duration.ofNanos(System.nanoTime() - stopping))
                        .isLessThan(MandosDBus.WITHDRAWAL_LIMIT.plus(Duration.ofSeconds(30)));
                assertThat(server.diagnostics()).contains("leaving the bus without them");
                // Its timers stopped before the wait for the bus: none began in those seconds (one
                // already begun may still write, on a loaded machine a while later).
                assertThat(checkerRuns(runs, stoppingUptime + 2)).as("checkers run while stopping").isZero();
            } finally {
                signal(bus, "CONT");
            }
        }
    }

    private static void fetchAll(ClientHandshake client, MandosServerProcess server) throws Exception {
        for (int i = 0; i < FETCHES; i++) {
            try (Socket s = new Socket(InetAddress.getByName("::1"), server.port())) {
                s.setSoTimeout((int) FETCH_TIMEOUT.toMillis());
                assertThat(client.fetch(s)).as("fetch %d", i).isEqualTo(SECRET);
            } catch (IOException e) {
                throw new AssertionError("fetch " + i + " failed: " + e + "\n" + server.diagnostics(), e);
            }
        }
    }

    /** How many checker runs noted a time after {@code after} (seconds since boot). */
    private static long checkerRuns(Path runs, double after) throws IOException {
        if (!Files.exists(runs)) return 0;
        return Files.readAllLines(runs).stream().filter(l -> !l.isBlank())
                .filter(l -> Double.parseDouble(l.split(" ")[0]) > after).count();
    }

    private static double uptime() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    private static long gotSecret(DBusMonitor monitor) throws IOException {
        return monitor.signals("se.").stream().filter(s -> s.member().equals("GotSecret")).count();
    }

    private static void signal(PrivateSystemBus bus, String signal) throws Exception {
        CommandResult.run(List.of("kill", "-" + signal, Long.toString(bus.pid())), Duration.ofSeconds(10),
                java.util.Map.of()).assertSuccess();
    }
}
