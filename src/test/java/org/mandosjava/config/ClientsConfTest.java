package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientsConfTest {
    private static final String KEY_ID = "f33fcbed11ed5e03073f6a55b86ffe92af0e24c045fb6e3b40547b3dc0c030ed";

    @TempDir
    Path dir;

    @Test
    void keygenStyleSectionWithoutFingerprintIsValid() throws Exception {
        Path file = write("""
                [DEFAULT]
                timeout = PT10M

                # mandos-keygen output
                [foo.example.org]
                host = foo.example.org
                key_id = %s
                secret =
                        aGVsbG8g
                        d29ybGQ=
                """.formatted(KEY_ID));
        List<ClientConfig> clients = ClientsConf.load(file, expansion(Map.of()));
        assertThat(clients).hasSize(1);
        ClientConfig c = clients.get(0);
        assertThat(c.name()).isEqualTo("foo.example.org");
        assertThat(c.keyId()).isEqualTo(KEY_ID.toUpperCase());
        assertThat(c.fingerprint()).isEmpty();
        assertThat(c.secret()).isEqualTo("hello world".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.checker()).isEqualTo("fping -q -- %(host)s");
        assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.extendedTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.approvalDelay()).isZero();
        assertThat(c.approvalDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.approvedByDefault()).isTrue();
        assertThat(c.enabled()).isTrue();
        assertThat(c.options()).containsEntry("host", "foo.example.org").containsEntry("timeout", "PT10M")
                .containsEntry("checker", "fping -q -- %(host)s").doesNotContainKey("secret");
        assertThat(c.file()).isEqualTo(file);
        assertThat(c.line()).isEqualTo(5);
        assertThat(c.toString()).doesNotContain("aGVsbG8").doesNotContain("hello");
    }

    @Test
    void secfileExpandsVariablesAndHome() throws Exception {
        Files.write(dir.resolve("s1.bin"), new byte[] {0, 1, 2, (byte) 0xff});
        Files.createDirectories(dir.resolve("home/keys"));
        Files.write(dir.resolve("home/keys/s2.bin"), new byte[] {42});
        Path file = write("""
                [a]
                secfile = ${SECRETS}/s1.bin
                [b]
                secfile = ~/keys/s2.bin
                [c]
                secfile = %s/s1.bin
                secret = YQ==
                """.formatted(dir));
        List<ClientConfig> clients = ClientsConf.load(file,
                expansion(Map.of("SECRETS", dir.toString(), "HOME", dir.resolve("home") + "/")));
        assertThat(clients.get(0).secret()).containsExactly(0, 1, 2, 0xff);
        assertThat(clients.get(1).secret()).containsExactly(42);
        assertThat(clients.get(2).secret()).as("secret wins over secfile").containsExactly('a');
        assertThat(clients.get(0).options()).containsEntry("secfile", "${SECRETS}/s1.bin");
    }

    @Test
    void relativeSecfileIsRelativeToTheWorkingDirectory() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path secret = Files.createTempFile(cwd.resolve("target"), "secfile", ".bin");
        try {
            Files.write(secret, new byte[] {7});
            Path file = write("[a]\nsecfile = " + cwd.relativize(secret) + "\n");
            assertThat(ClientsConf.load(file, expansion(Map.of())).get(0).secret()).containsExactly(7);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void unreadableSecfileNamesFileLineKeyAndReason() throws Exception {
        Path file = write("[a]\nhost = h\nsecfile = $NOPE_MJ/missing.bin\n");
        ConfigException e = load(file);
        assertThat(e.getMessage()).isEqualTo(file + ":3: secfile: cannot read \"$NOPE_MJ/missing.bin\":"
                + " No such file or directory (client [a])");
    }

    @Test
    void secfileWithoutPermission() throws Exception {
        Path secret = dir.resolve("locked.bin");
        Files.write(secret, new byte[] {1});
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(secret), "running as root");
        ConfigException e = load(write("[a]\nsecfile = " + secret + "\n"));
        assertThat(e.problem()).endsWith("Permission denied (client [a])");
    }

    @Test
    void secfileThatIsADirectory() throws Exception {
        ConfigException e = load(write("[a]\nsecfile = " + dir + "\n"));
        assertThat(e.getMessage()).endsWith(": secfile: cannot read \"" + dir + "\": Is a directory (client [a])");
    }

    @Test
    void secfileExpandingToNothingIsNotTheWorkingDirectory() throws Exception {
        Path file = write("[a]\nsecfile = $EMPTY\n");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ClientsConf.load(file, expansion(Map.of("EMPTY", ""))));
        assertThat(e.getMessage()).isEqualTo(file + ":2: secfile: cannot read \"\": No such file or directory"
                + " (client [a])");
    }

    @Test
    void missingSecretNamesTheSection() throws Exception {
        Path file = write("[DEFAULT]\n[first]\nsecret = YQ==\n[second]\nhost = x\n");
        assertThat(load(file).getMessage()).isEqualTo(file + ":4: [second]: no secret or secfile");
    }

    @Test
    void badBase64DoesNotQuoteTheSecret() throws Exception {
        Path file = write("[a]\nsecret =\n  QUJD\n  REVGR\n");
        ConfigException e = load(file);
        assertThat(e.getMessage()).startsWith(file + ":2: secret: invalid base64").doesNotContain("REVGR");
    }

    @Test
    void badDurationAndBoolean() throws Exception {
        Path file = write("[a]\nsecret = YQ==\ninterval = 5 minutes\n");
        assertThat(load(file).getMessage()).isEqualTo(file + ":3: interval: not a duration: \"5 minutes\""
                + " (write e.g. PT5M, P1DT2H30M, P2W, or the old form 5m 30s) (client [a])");
        Path file2 = write("[DEFAULT]\nenabled = maybe\n[a]\nsecret = YQ==\n");
        assertThat(load(file2).getMessage()).isEqualTo(file2 + ":2: enabled: not a boolean: \"maybe\""
                + " (write 1, yes, true, on or 0, no, false, off) (client [a])");
    }

    @Test
    void keyExpiresIsAnRfc3339DateOrDateTime() throws Exception {
        Path file = write("""
                [DEFAULT]
                key_expiry_warning = 30d
                [date]
                secret = YQ==
                key_expires = 2027-06-30
                [datetime]
                secret = YQ==
                key_expires = 2027-06-30 14:00:00.5+02:00
                key_expiry_warning = P1W
                [none]
                key_expiry_warning = 90d
                secret = YQ==
                [cleared]
                secret = YQ==
                key_expires =
                """);
        List<ClientConfig> clients = ClientsConf.load(file, expansion(Map.of()));
        assertThat(clients.get(0).keyExpires()).contains(Instant.parse("2027-06-30T00:00:00Z"));
        assertThat(clients.get(0).keyExpiryWarning()).isEqualTo(Duration.ofDays(30));
        assertThat(clients.get(0).options()).containsEntry("key_expires", "2027-06-30");
        assertThat(clients.get(1).keyExpires()).contains(Instant.parse("2027-06-30T12:00:00.5Z"));
        assertThat(clients.get(1).keyExpiryWarning()).isEqualTo(Duration.ofDays(7));
        assertThat(clients.get(2).keyExpires()).isEmpty();
        assertThat(clients.get(2).keyExpiryWarning()).isEqualTo(Duration.ofDays(90));
        assertThat(clients.get(3).keyExpires()).isEmpty();
        ClientConfig plain = ClientsConf.load(write("[a]\nsecret = YQ==\n"), expansion(Map.of())).get(0);
        assertThat(plain.keyExpiryWarning()).isEqualTo(ClientConfig.DEFAULT_KEY_EXPIRY_WARNING);
    }

    @Test
    void badKeyExpiresNamesFileLineAndKey() throws Exception {
        Path file = write("[a]\nsecret = YQ==\nkey_expires = next June\n");
        assertThat(load(file).getMessage()).isEqualTo(file + ":3: key_expires: not an RFC 3339 date or date-time"
                + " with offset (e.g. 2027-06-30 or 2027-06-30T00:00:00Z): \"next June\" (client [a])");
        // A date-time needs its offset: without one it would mean different instants on different servers.
        assertThat(load(write("[a]\nsecret = YQ==\nkey_expires = 2027-06-30T00:00:00\n")).key())
                .isEqualTo("key_expires");
        ConfigException warning = load(write("[DEFAULT]\nkey_expiry_warning = soon\n[a]\nsecret = YQ==\n"));
        assertThat(warning.line()).isEqualTo(2);
        assertThat(warning.key()).isEqualTo("key_expiry_warning");
    }

    @Test
    void interpolationErrorInAnyOption() throws Exception {
        Path file = write("[a]\nsecret = YQ==\nssh_fingerprint = %(nosuch)s\n");
        ConfigException e = load(file);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.key()).isEqualTo("ssh_fingerprint");
    }

    @Test
    void missingFileIsAClearError() {
        Path file = dir.resolve("clients.conf");
        ConfigException e = load(file);
        assertThat(e.getMessage()).isEqualTo(file + ": cannot read the clients file: No such file or directory");
    }

    @Test
    void noClientsIsAnEmptyList() throws Exception {
        assertThat(ClientsConf.load(write("# nothing yet\n"), expansion(Map.of()))).isEmpty();
    }

    @Test
    void aDefaultAfterTheClientsAppliesToThemAll() throws Exception {
        // Python applies [DEFAULT] wherever it is in the file; we read client sections as they end.
        Path file = write("[a]\nsecret = AAAA\n[DEFAULT]\ntimeout = PT7M\n[b]\nsecret = AAAA\n");
        assertThat(ClientsConf.load(file, expansion(Map.of())))
                .extracting(ClientConfig::timeout).containsExactly(Duration.ofMinutes(7), Duration.ofMinutes(7));
    }

    @Test
    void manyClientsKeepTheirOrderAndTheFirstErrorInTheFileIsReported() throws Exception {
        StringBuilder text = new StringBuilder("[DEFAULT]\ninterval = PT1M\n");
        for (int i = 0; i < 10_000; i++) text.append("[c").append(i).append("]\nsecret = AAAA\n");
        Path file = write(text.toString());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) expected.add("c" + i);
        // Batches are interpreted while the next is read: still in file order, every one once.
        assertThat(ClientsConf.load(file, expansion(Map.of()))).extracting(ClientConfig::name)
                .containsExactlyElementsOf(expected);

        text.append("[late]\nsecret = AAAA\ntimeout = soon\n");
        String withErrors = text.toString().replace("[c5000]\nsecret = AAAA\n", "[c5000]\nsecret = AAAA\nenabled = maybe\n");
        ConfigException e = load(write(withErrors));
        assertThat(e.key()).isEqualTo("enabled");
        assertThat(e.getMessage()).contains("[c5000]");

        // An error in the first batch wins over one in a batch interpreted later.
        String early = withErrors.replace("[c100]\nsecret = AAAA\n", "[c100]\nsecret = AAAA\ninterval = never\n");
        e = load(write(early));
        assertThat(e.key()).isEqualTo("interval");
        assertThat(e.getMessage()).contains("[c100]");

        // A syntax error anywhere comes first, as when Python parses the whole file before using it.
        e = load(write(early + "this line has no equals sign\n"));
        assertThat(e.key()).isNull();
        assertThat(e.line()).isEqualTo(early.split("\n", -1).length);
    }

    private Path write(String text) throws Exception {
        Path file = Files.createTempFile(dir, "clients", ".conf");
        Files.writeString(file, text);
        return file;
    }

    private static ConfigException load(Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ClientsConf.load(file, expansion(Map.of())));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.file()).isEqualTo(file);
        return e;
    }

    private static PathExpansion expansion(Map<String, String> env) {
        return new PathExpansion(env, "/nonexistent", user -> Optional.empty());
    }
}
