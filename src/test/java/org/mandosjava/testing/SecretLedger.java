package org.mandosjava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;

/**
 * What the whole test suite configured as secrets and what it logged, kept under
 * {@code target/secret-scan} so that {@link SecretLeakScan} can look for every secret in every log
 * and audit file once all tests have run. Outside a Maven build (no {@code target} directory) it
 * keeps nothing.
 *
 * <p>Two kinds of secret: the configured blobs (the OpenPGP messages in clients.conf, the bytes the
 * server holds and sends) are looked for in every output; the passwords inside them, which only the
 * real client ever sees in clear, in our own server's logs and audit files (a real client's
 * standard output is that password, by design).
 */
public final class SecretLedger {
    static final Path ROOT = Path.of("target", "secret-scan");
    static final String BLOBS = "blobs";
    static final String PASSWORDS = "passwords";
    /** Outputs of every process a test started. */
    static final String ALL = "all-outputs";
    /** Logs and audit files of our server. */
    static final String OURS = "our-outputs";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private SecretLedger() {}

    /** A configured secret: the bytes a server holds for a client. */
    public static void blob(byte[] secret) {
        record(BLOBS, secret);
    }

    /** A password a client decrypts from its secret. */
    public static void password(byte[] password) {
        record(PASSWORDS, password);
    }

    /** Every secret of the clients.conf in {@code configDir}, if there is one that parses. */
    public static void clientsConfIn(Path configDir) {
        Path file = configDir.resolve("clients.conf");
        if (!enabled() || !Files.isRegularFile(file)) return;
        try {
            List<ClientConfig> clients = ClientsConf.load(file);
            clients.forEach(c -> blob(c.secret()));
        } catch (ConfigException | RuntimeException e) {
            // A test of a broken clients.conf: the server refuses it, so holds no secret from it.
        }
    }

    /** Keeps a copy of one output of any process. */
    public static void output(String name, Path file) {
        keep(ALL, name, file);
    }

    /** Keeps a copy of a log or audit file of our server. */
    public static void ourOutput(String name, Path file) {
        keep(OURS, name, file);
    }

    static boolean enabled() {
        return Files.isDirectory(ROOT.getParent());
    }

    private static void record(String kind, byte[] secret) {
        if (!enabled() || secret.length == 0) return;
        try {
            Path dir = Files.createDirectories(ROOT.resolve(kind));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
            Path target = dir.resolve(HexFormat.of().formatHex(digest));
            if (!Files.exists(target)) Files.write(target, secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keep(String kind, String name, Path file) {
        if (!enabled() || !Files.isRegularFile(file)) return;
        try {
            Path dir = Files.createDirectories(ROOT.resolve(kind));
            String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
            Files.copy(file, dir.resolve(safe + "-" + ProcessHandle.current().pid() + "-"
                    + SEQUENCE.incrementAndGet()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
