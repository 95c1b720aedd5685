package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.log.JournalEntry;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.DatagramReceiver;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.OurTools;
import org.mandosjava.testing.ServerProcess;
import org.mandosjava.testing.TlsKeyFiles;

/**
 * The audit trail of the packaged server with the real mandos-client: the release, a refusal and an
 * unknown key reach the hash-chained file and the journal (a receiver speaking journald's native
 * protocol on a private socket, the server told it runs under systemd); mandos-audit verifies the
 * file and finds a hand edit; no secret appears anywhere; and a release that cannot be recorded
 * does not happen.
 */
class AuditTrailIT {
    static final String ALPHA = "alpha secret 4711";
    static final String OFF = "never sent 0815";

    @TempDir Path tmp;

    record Setup(Keys keys, TlsKeyFiles disabled, TlsKeyFiles stranger, Path configDir) {}

    Setup setup() throws Exception {
        Keys keys = Keys.generate(Keys.Keygen.REAL, tmp.resolve("keys"), "test");
        StringBuilder conf = new StringBuilder("[DEFAULT]\nchecker = true\n\n");
        conf.append(keys.clientsConfSection(Keys.Keygen.REAL, "alpha", ALPHA.getBytes(StandardCharsets.UTF_8)))
                .append('\n');
        TlsKeyFiles disabled = TlsKeyFiles.generate(keys.dir(), "disabled");
        conf.append(disabled.section(keys.clientsConfSection(Keys.Keygen.REAL, "off",
                OFF.getBytes(StandardCharsets.UTF_8)))).append("enabled = false\n\n");
        TlsKeyFiles stranger = TlsKeyFiles.generate(keys.dir(), "stranger");
        Path configDir = Files.createDirectories(tmp.resolve("conf"));
        Path clientsConf = configDir.resolve("clients.conf");
        Files.writeString(clientsConf, conf);
        Files.setPosixFilePermissions(clientsConf, PosixFilePermissions.fromString("rw-------"));
        return new Setup(keys, disabled, stranger, configDir);
    }

    @Test
    void releasesRefusalsAndUnknownKeysAreRecordedInTheFileAndTheJournal() throws Exception {
        Setup s = setup();
        Path audit = tmp.resolve("audit.jsonl");
        int port = ServerProcess.freePort();
        List<Map<String, String>> journal = new ArrayList<>();
        List<String> serverLog;
        try (DatagramReceiver receiver = DatagramReceiver.bind(tmp.resolve("journal.sock"));
                ServerProcess server = ServerProcess.start(ServerProcess.args(s.configDir(),
                        Files.createDirectories(tmp.resolve("state")), "::", port, "--audit-log", audit.toString()),
                        Map.of("INVOCATION_ID", "0123456789abcdef0123456789abcdef",
                                "MANDOS_JOURNAL_SOCKET", receiver.path().toString()))) {
            CommandResult ok = MandosClients.runReal(s.keys(), "[::1]:" + port, Duration.ofSeconds(30));
            assertThat(ok.stdoutText()).isEqualTo(ALPHA);
            MandosClients.runReal(s.keys(), "[::1]:" + port, Duration.ofSeconds(6), s.disabled().clientOptions());
            MandosClients.runReal(s.keys(), "[::1]:" + port, Duration.ofSeconds(6), s.stranger().clientOptions());
            server.awaitLog(l -> l.contains("Client not found for key ID"), Duration.ofSeconds(10));
            assertThat(server.stop()).isZero();
            serverLog = server.log();
            for (byte[] d; (d = receiver.receive(Duration.ofMillis(500))) != null; ) journal.add(JournalEntry.decode(d));
        }

        List<String> lines = Files.readAllLines(audit);
        String released = lines.stream().filter(l -> l.contains("\"event\":\"secret_released\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no release in " + lines));
        assertThat(released).contains("\"client\":\"alpha\"", "\"key_id\":\"" + keyIdOf(s.keys()) + "\"",
                "\"peer\":\"::1\"", "\"connection\":\"");
        assertThat(released).containsPattern("\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\"");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"secret_refused\"", "\"client\":\"off\"",
                "\"reason\":\"Disabled\"", "\"key_id\":\"" + s.disabled().keyId() + "\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"unknown_key\"",
                "\"key_id\":\"" + s.stranger().keyId() + "\""));

        assertThat(journal).anySatisfy(f -> assertThat(f).containsEntry("MESSAGE_ID", "3c3d5b6b0409466e982388f0054f478c")
                .containsEntry("MANDOS_EVENT", "secret_released").containsEntry("MANDOS_CLIENT", "alpha")
                .containsEntry("MANDOS_KEY_ID", keyIdOf(s.keys())).containsEntry("MANDOS_PEER", "::1")
                .containsEntry("PRIORITY", "5"));
        assertThat(journal).anySatisfy(f -> assertThat(f).containsEntry("MANDOS_EVENT", "unknown_key"));

        // Every output of the run, for every configured secret.
        String everything = String.join("\n", serverLog) + Files.readString(audit) + journal;
        assertThat(everything).doesNotContain(ALPHA).doesNotContain(OFF);

        assertThat(verify(audit).exitStatus()).isZero();
        List<String> edited = new ArrayList<>(lines);
        int n = lines.indexOf(released);
        edited.set(n, released.replace("\"peer\":\"::1\"", "\"peer\":\"::2\""));
        Files.write(audit, edited);
        CommandResult broken = verify(audit);
        assertThat(broken.exitStatus()).isEqualTo(1);
        assertThat(broken.stdoutText()).contains("broken at record " + (n + 1));
    }

    @Test
    void aReleaseThatCannotBeWrittenToTheAuditFileDoesNotHappen() throws Exception {
        Setup s = setup();
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.start(ServerProcess.args(s.configDir(),
                Files.createDirectories(tmp.resolve("state")), "::", port, "--audit-log", "/dev/full"))) {
            CommandResult r = MandosClients.runReal(s.keys(), "[::1]:" + port, Duration.ofSeconds(6));
            assertThat(r.stdout()).isEmpty();
            server.awaitLog(l -> l.contains("Client alpha is refused: " + "Release not recorded"), Duration.ofSeconds(10));
            assertThat(server.log()).anySatisfy(l -> assertThat(l).contains("Audit: cannot write a secret_released record"));
        }
    }

    static String keyIdOf(Keys keys) throws Exception {
        String pem = Files.readString(keys.tlsPublicKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
        return org.mandosjava.protocol.KeyId.of(java.util.Base64.getDecoder().decode(pem));
    }

    static CommandResult verify(Path file) throws Exception {
        List<String> command = new ArrayList<>(OurTools.command("mandos-audit"));
        command.addAll(List.of("verify", file.toString()));
        return CommandResult.run(command, Duration.ofSeconds(60), Map.of());
    }
}
