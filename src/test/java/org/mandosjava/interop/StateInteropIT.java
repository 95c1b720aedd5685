package org.mandosjava.interop;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.state.StateStore;
import org.mandosjava.testing.Poll;

/**
 * State that survives crashes: the packaged server killed with SIGKILL and restarted keeps
 * a disabled client disabled; a corrupt state file stops the start instead of re-enabling anyone; a
 * Python server's clients.pickle is taken over.
 */
class StateInteropIT {
    @TempDir Path tmp;
    ServerProcess server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    private Path state() throws Exception {
        return Files.createDirectories(tmp.resolve("state"));
    }

    /** The usual test arguments, but restoring state: that is what is tested here. */
    private List<String> args(Path conf, int port) throws Exception {
        List<String> args = new ArrayList<>(ServerProcess.args(conf, state(), "::", port));
        args.remove("--no-restore");
        return args;
    }

    private ServerProcess start(Path conf, int port) throws Exception {
        server = ServerProcess.start(args(conf, port));
        return server;
    }

    private void kill9() throws Exception {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(server.pid())).start();
        assertThat(kill.waitFor()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.isAlive()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        server.close();
        server = null;
    }

    private static boolean disabledOnDisk(StateStore store, String client) {
        try {
            var loaded = store.load(name -> "secret".getBytes(StandardCharsets.UTF_8));
            return loaded.isPresent() && loaded.get().state().clients().containsKey(client)
                    && !loaded.get().state().clients().get(client).enabled();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aClientDisabledBeforeASigkillStaysDisabledAfterTheRestart() throws Exception {
        Keys keys = Keys.generate(Keys.Keygen.REAL, tmp.resolve("keys"), "test");
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("clients.conf"), keys.clientsConfSection(Keys.Keygen.REAL, "box", "secret".getBytes(StandardCharsets.UTF_8))
                + "checker = false\ninterval = PT1S\ntimeout = PT2S\n");
        int port = ServerProcess.freePort();
        start(conf, port);
        server.awaitLog(l -> l.contains("Client box disabled"), Duration.ofSeconds(20));
        // The timer thread does not wait for the disk: the saver writes the disable at once, on its own thread.
        StateStore store = new StateStore(state());
        assertThat(Poll.until(() -> disabledOnDisk(store, "box"), Duration.ofSeconds(10))).isTrue();
        kill9(); // no clean shutdown, no final save: only what was durable counts

        start(conf, port);
        assertThat(server.log()).noneMatch(l -> l.contains("Client box enabled"));
        var result = MandosClients.runReal(keys, "[::1]:" + port, Duration.ofSeconds(6));
        assertThat(result.stdout()).as("the real client gets nothing after the restart; log:\n%s",
                String.join("\n", server.log())).isEmpty();
        server.awaitLog(l -> l.contains("Client box is refused: Disabled"), Duration.ofSeconds(5));
    }

    @Test
    void aCorruptStateFileIsReportedAndReEnablesNobody() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake client = new ClientHandshake(key.getPublic(), key.getPrivate());
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("clients.conf"), "[box]\nkey_id = " + client.keyId()
                + "\nsecret = c2VjcmV0\nchecker = true\n");
        int port = ServerProcess.freePort();
        start(conf, port);
        // Disable it the way an administrator would without D-Bus: edit clients.conf and reload.
        Files.writeString(conf.resolve("clients.conf"), "[box]\nkey_id = " + client.keyId()
                + "\nsecret = c2VjcmV0\nchecker = true\nenabled = false\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
        server.awaitLog(l -> l.contains("Reloaded"), Duration.ofSeconds(10));
        assertThat(fetch(client, port)).as("log:\n%s", String.join("\n", server.log())).isEmpty();
        assertThat(server.stop()).isZero();
        server = null;

        // Damage both generations: nothing trustworthy is left.
        for (Path f : Files.list(state()).toList()) {
            if (f.getFileName().toString().startsWith("mandos-java-state")) {
                byte[] bytes = Files.readAllBytes(f);
                bytes[bytes.length / 2] ^= 0x20;
                Files.write(f, bytes);
            }
        }
        // clients.conf says enabled again (the line was removed): a naive server would believe it.
        Files.writeString(conf.resolve("clients.conf"), "[box]\nkey_id = " + client.keyId()
                + "\nsecret = c2VjcmV0\nchecker = true\n");
        var r = CommandResult.run(ServerProcess.command(args(conf, port)), Duration.ofSeconds(60), java.util.Map.of());
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).contains("mandos-java-state.v1").contains("refusing to start")
                .contains("--no-restore");
        assertThatNothingListens(port);
    }

    @Test
    void theStateAPythonServerLeftBehindIsTakenOver() throws Exception {
        // The real 1.8.16 server's clients.pickle (see src/test/resources/state/README.md): beta was
        // disabled there, alpha got a runtime secret, delta was removed at runtime.
        KeyPair alphaKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair betaKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake alpha = new ClientHandshake(alphaKey.getPublic(), alphaKey.getPrivate());
        ClientHandshake beta = new ClientHandshake(betaKey.getPublic(), betaKey.getPrivate());
        String conf = new String(getClass().getResourceAsStream("/state/python-1.8.16-clients.conf").readAllBytes(),
                StandardCharsets.UTF_8)
                .replace("1".repeat(64), alpha.keyId()).replace("2".repeat(64), beta.keyId());
        Path confDir = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(confDir.resolve("clients.conf"), conf);
        Files.write(state().resolve("clients.pickle"),
                getClass().getResourceAsStream("/state/python-1.8.16-clients.pickle").readAllBytes());
        int port = ServerProcess.freePort();
        start(confDir, port);
        server.awaitLog(l -> l.contains("Imported the Python server's state"), Duration.ofSeconds(5));
        assertThat(fetch(beta, port)).as("beta stays disabled").isEmpty();
        assertThat(new String(fetch(alpha, port), StandardCharsets.UTF_8)).as("alpha keeps its runtime secret")
                .isEqualTo("runtime-secret-for-alpha");
        assertThat(server.log()).anyMatch(l -> l.contains("client delta: was removed at runtime; stays removed"));
    }

    @Test
    void sighupAddsChangesAndRemovesClientsWithoutARestart() throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClientHandshake alpha = new ClientHandshake(a.getPublic(), a.getPrivate());
        ClientHandshake beta = new ClientHandshake(b.getPublic(), b.getPrivate());
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path file = conf.resolve("clients.conf");
        Files.writeString(file, "[alpha]\nkey_id = " + alpha.keyId() + "\nsecret = b25l\nchecker = true\n");
        int port = ServerProcess.freePort();
        start(conf, port);
        long pid = server.pid();
        assertThat(new String(fetch(alpha, port), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(fetch(beta, port)).isEmpty();

        // beta added, alpha's secret changed; then alpha removed.
        Files.writeString(file, "[alpha]\nkey_id = " + alpha.keyId() + "\nsecret = dW5v\nchecker = true\n"
                + "[beta]\nkey_id = " + beta.keyId() + "\nsecret = dHdv\nchecker = true\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor();
        server.awaitLog(l -> l.contains("Reloaded") && l.contains("2 clients"), Duration.ofSeconds(10));
        assertThat(new String(fetch(alpha, port), StandardCharsets.UTF_8)).isEqualTo("uno");
        assertThat(new String(fetch(beta, port), StandardCharsets.UTF_8)).isEqualTo("two");

        Files.writeString(file, "[beta]\nkey_id = " + beta.keyId() + "\nsecret = dHdv\nchecker = true\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor();
        server.awaitLog(l -> l.contains("Reloaded") && l.contains("1 clients"), Duration.ofSeconds(10));
        assertThat(fetch(alpha, port)).isEmpty();
        assertThat(new String(fetch(beta, port), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(server.pid()).as("same process throughout").isEqualTo(pid);
        assertThat(server.isAlive()).isTrue();
    }

    private static byte[] fetch(ClientHandshake client, int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("::1"), port)) {
            s.setSoTimeout(10_000);
            return client.fetch(s);
        }
    }

    private static void assertThatNothingListens(int port) {
        try (Socket s = new Socket(InetAddress.getByName("::1"), port)) {
            throw new AssertionError("something listens on " + port);
        } catch (java.io.IOException expected) {
            // refused: good
        }
    }
}
