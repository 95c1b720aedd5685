package org.mandosjava.tools.keygen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.openpgp.MessageDecryptor;
import org.mandosjava.openpgp.OpenPgpKeys;
import org.mandosjava.protocol.KeyId;
import org.mandosjava.testing.Keys;

/** mandos-keygen run in-process, with small RSA keys to stay fast. */
class KeygenMainTest {
    private static final String SMALL = "1024";
    static final byte[] PASSWORD = "  pä ss\t\n\u00ff".getBytes(StandardCharsets.UTF_8);

    @TempDir static Path shared;
    static Keys keys;
    static Path passfile;

    @TempDir Path tmp;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = Keys.writeInProcess(shared.resolve("keys"), "host", 1024);
        passfile = shared.resolve("password");
        Files.write(passfile, PASSWORD);
    }

    record Run(int status, String out, String err) {}

    static Run keygen(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new KeygenMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void generatesTheFourFilesOwnerOnly() throws Exception {
        Path dir = tmp.resolve("new");
        Run run = keygen("--dir", dir.toString(), "-l", SMALL, "-L", SMALL, "-n", "client1", "-e", "a@b.c", "-c", "note");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String file : List.of("pubkey.txt", "seckey.txt", "tls-pubkey.pem", "tls-privkey.pem")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(file))).as(file)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(Files.readString(dir.resolve("pubkey.txt")))
                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: Mandos client key for client1 (note) <a@b.c>\n");
        assertThat(OpenPgpKeys.readPublicKeys(dir.resolve("pubkey.txt")).getPublicKey().getUserIDs().next())
                .isEqualTo("client1 (note) <a@b.c>");
        TlsKeyPair.read(dir.resolve("tls-pubkey.pem"), dir.resolve("tls-privkey.pem"));
    }

    @Test
    void refusesToOverwriteWithoutForceAndBacksUpWithIt() throws Exception {
        Path dir = tmp.resolve("existing");
        assertThat(keygen("-d", dir.toString(), "-l", SMALL, "-L", SMALL, "-n", "x").status()).isZero();
        String firstPubkey = Files.readString(dir.resolve("pubkey.txt"));

        Run refused = keygen("-d", dir.toString(), "-l", SMALL, "-L", SMALL, "-n", "x");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("Refusing to overwrite old key files; use --force\n");
        assertThat(Files.readString(dir.resolve("pubkey.txt"))).isEqualTo(firstPubkey);

        Run forced = keygen("-d", dir.toString(), "-l", SMALL, "-L", SMALL, "-n", "x", "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(Files.readString(dir.resolve("pubkey.txt.~1~"))).isEqualTo(firstPubkey);
        assertThat(Files.readString(dir.resolve("pubkey.txt"))).isNotEqualTo(firstPubkey);
        assertThat(dir.resolve("seckey.txt.~1~")).exists();
        assertThat(dir.resolve("tls-privkey.pem.~1~")).exists();
        assertThat(dir.resolve("tls-pubkey.pem.~1~")).exists();
    }

    @Test
    void rejectsBadValuesLikeTheOriginal() {
        String dir = tmp.resolve("bad").toString();
        assertThat(keygen("-d", dir, "-l", "256")).isEqualTo(new Run(1, "", "Invalid key length\n"));
        assertThat(keygen("-d", dir, "-n", "")).isEqualTo(new Run(1, "", "Empty key name\n"));
        assertThat(keygen("-d", dir, "-t", "DSA").err()).contains("Unsupported OpenPGP key type: DSA");
        assertThat(keygen("-d", dir, "-T", "rsa").err()).contains("Unsupported TLS key type");
        assertThat(keygen("-d", dir, "-x", "soon").err()).contains("invalid key expiration");
        assertThat(keygen("unexpected").status()).isEqualTo(1);
        assertThat(keygen("--no-such-option").status()).isEqualTo(1);
    }

    @Test
    void versionAndHelp() {
        assertThat(keygen("--version")).isEqualTo(new Run(0, "mandos-keygen 1.8.16\n", ""));
        Run help = keygen("-h");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--passfile", "--no-ssh", "--tls-keytype", "--secfile", "--test");
    }

    @Test
    void passwordModePrintsTheClientsConfSection() throws Exception {
        Run run = keygen("-d", keys.dir().toString(), "-F", passfile.toString(), "-n", "host", "-S");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        String keyId = KeyId.of(TlsKeyPair.readPublicKey(keys.tlsPublicKey())).toLowerCase();
        String fingerprint = OpenPgpKeys.fingerprint(OpenPgpKeys.readPublicKeys(keys.publicKey()));
        assertThat(lines.subList(0, 5)).containsExactly(
                "[host]", "host = host", "key_id = " + keyId, "fingerprint = " + fingerprint, "secret =");
        List<String> secretLines = lines.subList(5, lines.size());
        assertThat(secretLines).allSatisfy(line -> assertThat(line).matches("    [A-Za-z0-9+/=]{1,64}"));
        assertThat(secretLines.subList(0, secretLines.size() - 1)).allSatisfy(line -> assertThat(line).hasSize(68));
        byte[] secret = Base64.getDecoder().decode(String.join("", secretLines).replace(" ", ""));
        assertThat(MessageDecryptor.decrypt(secret, OpenPgpKeys.readSecretKeys(keys.secretKey()))).isEqualTo(PASSWORD);
    }

    @Test
    void aKeyWithAnExpiryGetsKeyExpiresInItsSection() throws Exception {
        Path dir = tmp.resolve("expiring");
        Run made = keygen("-d", dir.toString(), "-l", SMALL, "-L", SMALL, "-n", "x", "-x", "2099-06-30");
        assertThat(made.status()).as(made.err()).isZero();

        Run run = keygen("-d", dir.toString(), "-F", passfile.toString(), "-n", "x", "-S");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(3)).startsWith("fingerprint = ");
        assertThat(lines.get(4)).isEqualTo("key_expires = 2099-06-30T00:00:00Z");
        assertThat(lines.get(5)).isEqualTo("secret =");
        assertThat(KeyExpiry.of(OpenPgpKeys.readPublicKeys(dir.resolve("pubkey.txt"))))
                .contains(java.time.Instant.parse("2099-06-30T00:00:00Z"));
    }

    @Test
    void anExpiryDateIsTheKeysExpiryToTheSecondEvenAtASecondsEnd() {
        java.time.Instant now = java.time.Instant.parse("2026-11-26T12:00:00.999Z");
        java.time.Duration validity = KeyExpiry.parse("2099-06-30", now.getEpochSecond());
        var key = new org.mandosjava.openpgp.OpenPgpKeyGenerator(new java.security.SecureRandom())
                .generate("x", 1024, 1024, now, validity);
        assertThat(KeyExpiry.of(key.publicKeys())).contains(java.time.Instant.parse("2099-06-30T00:00:00Z"));
    }

    @Test
    void aKeyWithoutExpiryHasNoKeyExpiresLine() {
        Run run = keygen("-d", keys.dir().toString(), "-F", passfile.toString(), "-n", "host", "-S");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("key_expires");
    }

    @Test
    void withoutTlsPublicKeyThereIsNoKeyIdLine() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("pgp-only"));
        Files.copy(keys.publicKey(), dir.resolve("pubkey.txt"));

        Run run = keygen("-d", dir.toString(), "-F", passfile.toString(), "-n", "h", "-S");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("key_id").contains("fingerprint = ");
    }

    @Test
    void testOptionDecryptsAndReports() {
        Run run = keygen("-d", keys.dir().toString(), "-F", passfile.toString(), "-n", "host", "-S", "--test");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).contains("test passed");
    }

    @Test
    void testOptionFailsWhenTheSecretKeyIsNotTheOneEncryptedTo() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mismatched"));
        Files.copy(keys.publicKey(), dir.resolve("pubkey.txt"));
        Keys other = Keys.writeInProcess(tmp.resolve("other"), "other", 1024);
        Files.copy(other.secretKey(), dir.resolve("seckey.txt"));

        Run run = keygen("-d", dir.toString(), "-F", passfile.toString(), "-n", "h", "-S", "--test");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("test FAILED");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void secfileGetsTheBinaryMessageAndTheSectionPointsAtIt() throws Exception {
        Path secfile = tmp.resolve("host.secret");

        Run run = keygen("-d", keys.dir().toString(), "-F", passfile.toString(), "-n", "host", "-S",
                "--secfile", secfile.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("\nsecfile = " + secfile.toAbsolutePath() + "\n").doesNotContain("secret =");
        assertThat(Files.getPosixFilePermissions(secfile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(MessageDecryptor.decrypt(Files.readAllBytes(secfile), OpenPgpKeys.readSecretKeys(keys.secretKey())))
                .isEqualTo(PASSWORD);
    }

    @Test
    void missingPassfileIsReported() {
        Run run = keygen("-d", keys.dir().toString(), "-F", tmp.resolve("nope").toString(), "-S");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("mandos-keygen: " + tmp.resolve("nope") + ": No such file or directory\n");
    }

    @Test
    void passwordModeNeedsAnExistingDirectory() {
        Run run = keygen("-d", tmp.resolve("missing").toString(), "-F", passfile.toString(), "-S");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(tmp.resolve("missing") + " not a directory\n");
    }

    @Test
    void optionsParseLikeGetopt() {
        KeygenOptions options = new KeygenOptions();
        new picocli.CommandLine(options).parseArgs("-dDIR", "--type=RSA", "-l2048", "-s", "RSA", "-L", "3072",
                "-nNAME", "-e", "m@x", "-c", "C", "-x", "2y", "-T", "ed25519", "-f", "-S", "-F", "pw");

        assertThat(options.dir).isEqualTo(Path.of("DIR"));
        assertThat(List.of(options.length, options.sublength)).containsExactly(2048, 3072);
        assertThat(List.of(options.name, options.email, options.comment, options.expire, options.tlsKeyType))
                .containsExactly("NAME", "m@x", "C", "2y", "ed25519");
        assertThat(options.force).isTrue();
        assertThat(options.noSsh).isTrue();
        assertThat(options.passwordMode()).isTrue();
        assertThat(options.passfile).isEqualTo(Path.of("pw"));
    }

    @Test
    void defaultsAreThoseOf1816() {
        KeygenOptions options = new KeygenOptions();
        new picocli.CommandLine(options).parseArgs();

        assertThat(List.of(options.type, options.subtype, options.expire, options.tlsKeyType, options.email,
                options.comment)).containsExactly("RSA", "RSA", "0", "ed25519", "", "");
        assertThat(List.of(options.length, options.sublength)).containsExactly(4096, 4096);
        assertThat(options.dir).isNull(); // resolved to /etc/keys/mandos or /etc/mandos/keys
        assertThat(options.passwordMode()).isFalse();
    }
}
