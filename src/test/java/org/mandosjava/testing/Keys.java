package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.openpgp.ClientOpenPgpKey;
import org.mandosjava.openpgp.OpenPgpKeyGenerator;

/**
 * A client key directory made by our {@code mandos-keygen} or by the real one, and the
 * clients.conf sections either makes from it. RSA-4096 generation takes seconds: make keys once per
 * test class ({@code @BeforeAll}).
 */
public record Keys(Path dir) {
    private static final Duration KEYGEN_TIMEOUT = Duration.ofMinutes(3);

    /** Which mandos-keygen to run. */
    public enum Keygen {
        OURS, REAL;

        List<String> command() {
            if (this == REAL) {
                Peers.require(Peers.REAL_KEYGEN, "mandos-client");
                return new ArrayList<>(List.of(Peers.REAL_KEYGEN.toString()));
            }
            return new ArrayList<>(OurTools.command("mandos-keygen"));
        }
    }

    /** Generates keys into {@code dir} (created if needed; made world-traversable for peers). */
    public static Keys generate(Keygen keygen, Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        List<String> command = keygen.command();
        command.addAll(List.of("--dir", dir.toString(), "--force", "--name", name));
        CommandResult.run(command, KEYGEN_TIMEOUT, Map.of()).assertSuccess();
        return new Keys(dir);
    }

    /**
     * Writes a key directory in-process with our library, without the CLI: fast with small RSA keys
     * (e.g. 1024 bits), for unit tests. Production keys are 4096 bits.
     */
    public static Keys writeInProcess(Path dir, String name, int rsaBits) throws IOException {
        Files.createDirectories(dir);
        TlsKeyPair tls = TlsKeyPair.generateEd25519();
        ClientOpenPgpKey pgp = new OpenPgpKeyGenerator(new SecureRandom())
                .generate(name, rsaBits, rsaBits, Duration.ZERO);
        String comment = "Mandos client key for " + name;
        Files.writeString(dir.resolve("tls-pubkey.pem"), tls.publicKeyPem());
        Files.writeString(dir.resolve("tls-privkey.pem"), tls.privateKeyPem());
        Files.write(dir.resolve("pubkey.txt"), pgp.armoredPublicKey(comment));
        Files.write(dir.resolve("seckey.txt"), pgp.armoredSecretKey(comment));
        return new Keys(dir);
    }

    /**
     * The clients.conf section {@code keygen --passfile} prints for {@code password}, given verbatim.
     * Extra arguments (e.g. {@code --test}) are appended.
     */
    public String clientsConfSection(Keygen keygen, String name, byte[] password, String... extra)
            throws IOException, InterruptedException {
        String section = passwordRun(keygen, name, password, extra).assertSuccess().stdoutText();
        Path dir = Files.createTempDirectory("mandos-test-section-");
        try {
            Files.writeString(dir.resolve("clients.conf"), section);
            SecretLedger.clientsConfIn(dir);
        } finally {
            TestDirs.deleteRecursively(dir);
        }
        return section;
    }

    /** The whole run of {@code keygen --passfile … --no-ssh}, for tests that look at exit status or stderr. */
    public CommandResult passwordRun(Keygen keygen, String name, byte[] password, String... extra)
            throws IOException, InterruptedException {
        SecretLedger.password(password);
        Path passfile = Files.createTempFile("mandos-test-password-", ".bin");
        try {
            Files.write(passfile, password);
            List<String> command = keygen.command();
            command.addAll(List.of("--dir", dir.toString(), "--passfile", passfile.toString(),
                    "--name", name, "--no-ssh"));
            command.addAll(List.of(extra));
            return CommandResult.run(command, KEYGEN_TIMEOUT, Map.of());
        } finally {
            Files.deleteIfExists(passfile);
        }
    }

    public Path publicKey() {
        return dir.resolve("pubkey.txt");
    }

    public Path secretKey() {
        return dir.resolve("seckey.txt");
    }

    public Path tlsPublicKey() {
        return dir.resolve("tls-pubkey.pem");
    }

    public Path tlsPrivateKey() {
        return dir.resolve("tls-privkey.pem");
    }

    /** The four key-file options both clients take. */
    public List<String> clientKeyOptions() {
        return List.of("--pubkey=" + publicKey(), "--seckey=" + secretKey(),
                "--tls-pubkey=" + tlsPublicKey(), "--tls-privkey=" + tlsPrivateKey());
    }
}
