package org.mandosjava.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.openpgp.MessageDecryptor;
import org.mandosjava.openpgp.OpenPgpKeys;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.OurTools;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.Ports;

/** Our mandos-keygen and mandos-client as programs: the terminal prompt, signals, the bin/ scripts. */
class ToolsCommandLineIT {
    /** util-linux script(1) gives the keygen a pseudo-terminal to prompt on. */
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir static Path tmp;
    static Keys keys;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = Keys.writeInProcess(tmp.resolve("keys"), "host", 1024);
    }

    @Test
    void passwordPromptKeepsWhitespaceAndAsksAgainOnMismatch() throws Exception {
        Peers.require(SCRIPT, "bsdutils");
        Path secfile = tmp.resolve("prompted.secret");
        String keygen = shellQuote(OurTools.command("mandos-keygen")) + " --dir " + keys.dir()
                + " --password --no-ssh --name host --secfile " + secfile;
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "--quiet", "--return",
                "--command", keygen, "/dev/null").redirectErrorStream(true);
        Process process = builder.start();
        try {
            OutputStream terminal = process.getOutputStream();
            StringBuilder seen = new StringBuilder();
            // Answer each prompt when it appears: typed-ahead input would be swallowed by the tty setup.
            String enter = "Enter passphrase: ";
            String repeat = "Repeat passphrase: ";
            List<String[]> dialogue = List.of(
                    new String[] {enter, "first\n"}, new String[] {repeat, "different\n"},
                    new String[] {enter, "  pä ss\t \n"}, new String[] {repeat, "  pä ss\t \n"});
            int[] asked = new int[2];
            for (String[] step : dialogue) {
                int which = step[0].equals(enter) ? 0 : 1;
                awaitOutput(process, seen, step[0], ++asked[which]);
                terminal.write(step[1].getBytes(StandardCharsets.UTF_8));
                terminal.flush();
            }
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            String output = seen + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("Passphrase mismatch", "secfile = " + secfile);
            assertThat(output).doesNotContain("pä"); // no echo
            assertThat(MessageDecryptor.decrypt(Files.readAllBytes(secfile), OpenPgpKeys.readSecretKeys(keys.secretKey())))
                    .isEqualTo("  pä ss\t ".getBytes(StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    @Test
    void clientRetriesUntilSigtermEndsIt() throws Exception {
        int closedPort = Ports.freePort();
        List<String> command = new ArrayList<>(OurTools.command("mandos-client"));
        command.addAll(List.of("--connect=[::1]:" + closedPort, "--retry=0.2", "--debug"));
        command.addAll(keys.clientKeyOptions());
        try (ManagedProcess client = ManagedProcess.start("our-client", command, tmp.resolve("logs"), Map.of())) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (count(new StringBuilder(client.stderrText()), "Retrying") < 2 && System.nanoTime() < deadline) {
                assertThat(client.isAlive()).as(client.diagnostics()).isTrue();
                Thread.sleep(50); // polling its log, bounded by the deadline
            }
            assertThat(client.stderrText()).contains("Connection to [0:0:0:0:0:0:0:1]:" + closedPort + " failed");

            ProcessHandle.of(client.pid()).orElseThrow().destroy(); // SIGTERM

            assertThat(client.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 15);
            assertThat(client.stdoutBytes()).isEmpty();
        }
    }

    @Test
    void binScriptsRunTheTools() throws Exception {
        Path home = Path.of(System.getProperty("mandos.home"));
        Process keygen = new ProcessBuilder(home.resolve("bin/mandos-keygen").toString(), "--version")
                .redirectErrorStream(true).start();
        Process client = new ProcessBuilder(home.resolve("bin/mandos-client").toString(), "--version")
                .redirectErrorStream(true).start();

        assertThat(keygen.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(client.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .endsWith("mandos-keygen 1.8.16\n");
        assertThat(keygen.exitValue()).isZero();
        assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .endsWith("Mandos plugin mandos-client: mandos-client 1.8.16\n");
        assertThat(client.exitValue()).isEqualTo(64);
    }

    /** Reads the terminal until {@code prompt} has appeared {@code wanted} times. */
    private static void awaitOutput(Process process, StringBuilder seen, String prompt, int wanted)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        var in = process.getInputStream();
        while (count(seen, prompt) < wanted) {
            if (System.nanoTime() > deadline || !process.isAlive() && in.available() == 0) {
                throw new AssertionError("no \"" + prompt + "\" prompt; output so far: " + seen);
            }
            if (in.available() > 0) {
                byte[] chunk = new byte[in.available()];
                int n = in.read(chunk);
                seen.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            } else {
                Thread.sleep(20); // polling the terminal output, bounded by the deadline
            }
        }
    }

    private static int count(CharSequence text, String needle) {
        int count = 0;
        for (int i = text.toString().indexOf(needle); i >= 0; i = text.toString().indexOf(needle, i + 1)) count++;
        return count;
    }

    private static String shellQuote(List<String> words) {
        return String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
    }
}
