package org.mandosjava.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.Keys.Keygen;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.PrivateSystemBus;
import org.mandosjava.testing.TestDirs;

/**
 * Our mandos-keygen and mandos-client against the real Debian ones and the real Python server:
 * keys and entries made by either keygen work with either client and either server, and the password
 * arrives byte for byte.
 */
class ToolsInteropIT {
    /** Whitespace at both ends, a tab and newline, non-ASCII UTF-8, and bytes that are no UTF-8 at all. */
    static final byte[] PASSWORD = concat("  pä ss\t\n".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x7f, ' ', '\n'});
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern KEY_ID = Pattern.compile("(?m)^key_id = ([0-9a-f]{64})$");
    private static final Pattern FINGERPRINT = Pattern.compile("(?m)^fingerprint = ([0-9A-F]{40})$");

    @TempDir static Path tmp;
    static Keys ourKeys;
    static Keys realKeys;
    static PrivateSystemBus bus;
    static Path busDir;

    @BeforeAll
    static void makeKeys() throws Exception {
        Peers.require(Peers.REAL_KEYGEN, "mandos-client");
        ourKeys = Keys.generate(Keygen.OURS, tmp.resolve("ours"), "ours");
        realKeys = Keys.generate(Keygen.REAL, tmp.resolve("real"), "real");
    }

    @AfterAll
    static void stopBus() {
        if (bus != null) bus.close();
        TestDirs.deleteRecursively(busDir);
    }

    private static PrivateSystemBus bus() throws Exception {
        if (bus == null) {
            busDir = TestDirs.shared("mandos-test-bus-");
            bus = PrivateSystemBus.start(busDir);
        }
        return bus;
    }

    @Test
    void realKeygenReadsOurKeyDirAndAgreesOnIdentity() throws Exception {
        String ours = ourKeys.clientsConfSection(Keygen.OURS, "ours", PASSWORD);
        String real = ourKeys.clientsConfSection(Keygen.REAL, "ours", PASSWORD);

        assertThat(group(KEY_ID, real)).isEqualTo(group(KEY_ID, ours));
        assertThat(group(FINGERPRINT, real)).isEqualTo(group(FINGERPRINT, ours));
    }

    @Test
    void ourKeygenReadsRealKeyDirAgreesOnIdentityAndDecryptsItsOwnSecret() throws Exception {
        CommandResult ours = realKeys.passwordRun(Keygen.OURS, "real", PASSWORD, "--test");
        String real = realKeys.clientsConfSection(Keygen.REAL, "real", PASSWORD);

        assertThat(ours.exitStatus()).as(ours.describe()).isZero();
        assertThat(ours.stderr()).contains("test passed");
        assertThat(group(KEY_ID, ours.stdoutText())).isEqualTo(group(KEY_ID, real));
        assertThat(group(FINGERPRINT, ours.stdoutText())).isEqualTo(group(FINGERPRINT, real));
    }

    @Test
    void realClientGetsPasswordFromPythonServerWithOurKeygensKeysAndEntry() throws Exception {
        String section = ourKeys.clientsConfSection(Keygen.OURS, "ours", PASSWORD);
        try (MandosServerProcess server = MandosServerProcess.startPython(section, bus())) {
            CommandResult client = MandosClients.runReal(ourKeys, server.connectAddress(), CLIENT_TIMEOUT);

            assertThat(client.exitStatus()).as(client.describe() + "\n" + server.diagnostics()).isZero();
            assertThat(client.stdout()).isEqualTo(PASSWORD);
        }
    }

    @Test
    void ourClientGetsPasswordFromPythonServerWithRealKeygensKeysAndEntry() throws Exception {
        String section = realKeys.clientsConfSection(Keygen.REAL, "real", PASSWORD);
        try (MandosServerProcess server = MandosServerProcess.startPython(section, bus())) {
            CommandResult client = MandosClients.runOurs(realKeys, server.connectAddress(), CLIENT_TIMEOUT);

            assertThat(client.exitStatus()).as(client.describe() + "\n" + server.diagnostics()).isZero();
            assertThat(client.stdout()).isEqualTo(PASSWORD);
        }
    }

    @Test
    void ourClientGetsPasswordFromPythonServerWithOurKeygensKeysAndEntry() throws Exception {
        String section = ourKeys.clientsConfSection(Keygen.OURS, "ours", PASSWORD);
        try (MandosServerProcess server = MandosServerProcess.startPython(section, bus())) {
            CommandResult client = MandosClients.runOurs(ourKeys, server.connectAddress(), CLIENT_TIMEOUT);

            assertThat(client.exitStatus()).as(client.describe() + "\n" + server.diagnostics()).isZero();
            assertThat(client.stdout()).isEqualTo(PASSWORD);
        }
    }

    @Test
    void pythonServerSendsOurSecfileToTheRealClient() throws Exception {
        Path secfile = TestDirs.shared("mandos-test-secfile-").resolve("ours.secret");
        try {
            String section = ourKeys.clientsConfSection(Keygen.OURS, "ours", PASSWORD, "--secfile", secfile.toString());
            assertThat(section).contains("secfile = " + secfile).doesNotContain("secret =");
            // The Python server reads it after dropping to _mandos.
            Files.setPosixFilePermissions(secfile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            try (MandosServerProcess server = MandosServerProcess.startPython(section, bus())) {
                CommandResult client = MandosClients.runReal(ourKeys, server.connectAddress(), CLIENT_TIMEOUT);

                assertThat(client.exitStatus()).as(client.describe() + "\n" + server.diagnostics()).isZero();
                assertThat(client.stdout()).isEqualTo(PASSWORD);
            }
        } finally {
            TestDirs.deleteRecursively(secfile.getParent());
        }
    }

    @Test
    void ourClientStaysQuietAndRetriesWhenTheServerDoesNotKnowIt() throws Exception {
        // The server knows only the real keygen's client: ours gets 0 bytes, again and again.
        String section = realKeys.clientsConfSection(Keygen.REAL, "real", PASSWORD);
        try (MandosServerProcess server = MandosServerProcess.startPython(section, bus())) {
            CommandResult client = MandosClients.runOurs(ourKeys, server.connectAddress(), Duration.ofSeconds(4));

            assertThat(client.exitStatus()).as(client.describe()).isEqualTo(MandosClients.TIMED_OUT);
            assertThat(client.stdout()).isEmpty();
            assertThat(client.stderr()).isEmpty();
        }
    }

    @Test
    void bothClientsGetPasswordFromOurServer() throws Exception {
        String sections = ourKeys.clientsConfSection(Keygen.OURS, "ours", PASSWORD)
                + realKeys.clientsConfSection(Keygen.REAL, "real", PASSWORD);
        try (MandosServerProcess server = startOurServerIfBuilt(sections)) {
            CommandResult real = MandosClients.runReal(ourKeys, server.connectAddress(), CLIENT_TIMEOUT);
            CommandResult ours = MandosClients.runOurs(realKeys, server.connectAddress(), CLIENT_TIMEOUT);

            assertThat(real.exitStatus()).as(real.describe() + "\n" + server.diagnostics()).isZero();
            assertThat(real.stdout()).isEqualTo(PASSWORD);
            assertThat(ours.exitStatus()).as(ours.describe() + "\n" + server.diagnostics()).isZero();
            assertThat(ours.stdout()).isEqualTo(PASSWORD);
        }
    }

    /** Until the server core is merged, bin/mandos says "not built yet": then this test is skipped. */
    private static MandosServerProcess startOurServerIfBuilt(String clientsConf) throws Exception {
        try {
            return MandosServerProcess.startOurs(clientsConf);
        } catch (IllegalStateException e) {
            assumeTrue(!String.valueOf(e.getMessage()).contains("not built yet"), "our server is not built yet");
            throw e;
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in:\n%s", pattern, text).isTrue();
        return m.group(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
