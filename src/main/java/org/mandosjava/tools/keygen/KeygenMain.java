package org.mandosjava.tools.keygen;

import org.mandosjava.platform.IoErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.mandosjava.keys.KeyDirectory;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.openpgp.ClientOpenPgpKey;
import org.mandosjava.openpgp.MessageDecryptor;
import org.mandosjava.openpgp.MessageEncryptor;
import org.mandosjava.openpgp.OpenPgpDecryptionException;
import org.mandosjava.openpgp.OpenPgpKeyGenerator;
import org.mandosjava.openpgp.OpenPgpKeys;
import org.mandosjava.protocol.KeyId;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The {@code mandos-keygen} command: key creation, or password encryption into a clients.conf section. */
public final class KeygenMain {
    static final int EXIT_OK = 0;
    /** mandos-keygen exits 1 on every error, bad options included. */
    static final int EXIT_FAILURE = 1;

    private final PrintStream out;
    private final PrintStream err;

    KeygenMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** As the command, with its output streams given (the demo keeps the printed section). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new KeygenMain(out, err).execute(args);
    }

    int execute(String[] args) {
        KeygenOptions options = new KeygenOptions();
        CommandLine commandLine = new CommandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            err.println("mandos-keygen: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (options.version) {
            out.println("mandos-keygen " + KeygenOptions.VERSION);
            return EXIT_OK;
        }
        if (options.help) {
            PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
            commandLine.usage(writer);
            writer.flush();
            return EXIT_OK;
        }
        try {
            KeyDirectory keys = options.dir == null ? KeyDirectory.systemDefault() : new KeyDirectory(options.dir);
            return options.passwordMode() ? encryptPassword(options, keys) : generateKeys(options, keys);
        } catch (KeygenException e) {
            err.println(e.getMessage());
            return EXIT_FAILURE;
        } catch (IOException e) {
            err.println("mandos-keygen: " + IoErrors.describe(e));
            return EXIT_FAILURE;
        }
    }

    private int generateKeys(KeygenOptions options, KeyDirectory keys) throws IOException, KeygenException {
        keys.create();
        if (!Files.isWritable(keys.dir())) throw new KeygenException("Directory " + keys.dir() + " not writeable");
        requireRsa("key type", options.type);
        requireRsa("subkey type", options.subtype);
        String name = options.name != null ? options.name : HostName.fullyQualified();
        if (name.isEmpty()) throw new KeygenException("Empty key name");
        if (options.length < OpenPgpKeyGenerator.MIN_RSA_BITS || options.sublength < OpenPgpKeyGenerator.MIN_RSA_BITS) {
            throw new KeygenException("Invalid key length");
        }
        if (options.expire.isEmpty()) throw new KeygenException("Empty key expiration");
        Duration validity;
        Instant now = Instant.now(); // one reading: a date given to --expire is then the key's expiry exactly
        try {
            validity = KeyExpiry.parse(options.expire, now.getEpochSecond());
        } catch (IllegalArgumentException e) {
            throw new KeygenException(e.getMessage());
        }
        if (!TlsKeyPair.ED25519.equals(options.tlsKeyType.toLowerCase(Locale.ROOT))) {
            throw new KeygenException("Unsupported TLS key type: " + options.tlsKeyType + " (only ed25519)");
        }
        if (keys.hasKeyFiles() && !options.force) {
            throw new KeygenException("Refusing to overwrite old key files; use --force");
        }

        TlsKeyPair tls = TlsKeyPair.generateEd25519();
        KeyDirectory.writePrivately(keys.tlsPrivateKey(), tls.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
        KeyDirectory.writePrivately(keys.tlsPublicKey(), tls.publicKeyPem().getBytes(StandardCharsets.US_ASCII));

        ClientOpenPgpKey pgp = new OpenPgpKeyGenerator(new SecureRandom())
                .generate(userId(name, options.comment, options.email), options.length, options.sublength, now,
                        validity);
        String fileComment = fileComment(name, options.comment, options.email);
        KeyDirectory.writePrivately(keys.secretKey(), pgp.armoredSecretKey(fileComment));
        KeyDirectory.writePrivately(keys.publicKey(), pgp.armoredPublicKey(fileComment));
        return EXIT_OK;
    }

    private int encryptPassword(KeygenOptions options, KeyDirectory keys) throws IOException, KeygenException {
        if (!Files.isDirectory(keys.dir())) throw new KeygenException(keys.dir() + " not a directory");
        if (!Files.isReadable(keys.dir())) throw new KeygenException("Directory " + keys.dir() + " not readable");
        String name = options.name != null ? options.name : HostName.fullyQualified();

        Optional<SshHostKeyScanner.HostKey> sshKey =
                options.noSsh ? Optional.empty() : SshHostKeyScanner.scanLocalhost();
        PGPPublicKeyRing publicKeys = OpenPgpKeys.readPublicKeys(keys.publicKey());
        Optional<String> keyId = Files.isReadable(keys.tlsPublicKey())
                ? Optional.of(KeyId.of(TlsKeyPair.readPublicKey(keys.tlsPublicKey())))
                : Optional.empty();

        byte[] password = readPassword(options);
        try {
            byte[] secret = MessageEncryptor.encrypt(password, publicKeys, new SecureRandom());
            if (options.test) testDecryption(keys, secret, password);
            Optional<String> secfile = Optional.empty();
            if (options.secfile != null) {
                KeyDirectory.writePrivately(options.secfile, secret);
                secfile = Optional.of(options.secfile.toAbsolutePath().toString());
            }
            out.print(new ClientsConfSection(name, keyId, OpenPgpKeys.fingerprint(publicKeys), secret, secfile,
                    sshKey, KeyExpiry.of(publicKeys)).render());
            out.flush();
            return EXIT_OK;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private byte[] readPassword(KeygenOptions options) throws IOException, KeygenException {
        if (options.passfile != null) {
            return Files.readAllBytes(options.passfile); // verbatim: a trailing newline is part of it
        }
        return PasswordPrompt.askTwice(err::println)
                .orElseThrow(() -> new KeygenException("mandos-keygen: no terminal to ask for the password;"
                        + " use --passfile"));
    }

    private void testDecryption(KeyDirectory keys, byte[] secret, byte[] password) throws KeygenException {
        try {
            PGPSecretKeyRing secretKeys = OpenPgpKeys.readSecretKeys(keys.secretKey());
            byte[] decrypted = MessageDecryptor.decrypt(secret, secretKeys);
            boolean same = Arrays.equals(decrypted, password);
            Arrays.fill(decrypted, (byte) 0);
            if (!same) {
                throw new KeygenException("mandos-keygen: test FAILED: decrypting with "
                        + keys.secretKey() + " does not give the password back");
            }
            err.println("mandos-keygen: test passed: " + keys.secretKey() + " decrypts the password");
        } catch (IOException e) {
            throw new KeygenException("mandos-keygen: test FAILED: " + IoErrors.describe(e));
        } catch (OpenPgpDecryptionException e) {
            throw new KeygenException("mandos-keygen: test FAILED: " + e.getMessage());
        }
    }

    private static void requireRsa(String what, String type) throws KeygenException {
        if (type.isEmpty()) throw new KeygenException("Empty " + what);
        // GnuPG batch files name RSA by word or by its OpenPGP algorithm number.
        if (!type.equalsIgnoreCase("RSA") && !type.equals("1")) {
            throw new KeygenException("Unsupported OpenPGP " + what + ": " + type + " (only RSA)");
        }
    }

    static String userId(String name, String comment, String email) {
        StringBuilder id = new StringBuilder(name);
        if (!comment.isEmpty()) id.append(" (").append(comment).append(')');
        if (!email.isEmpty()) id.append(" <").append(email).append('>');
        return id.toString();
    }

    static String fileComment(String name, String comment, String email) {
        return "Mandos client key for " + userId(name, comment, email);
    }

    /** A failure whose message is what mandos-keygen prints on stderr. */
    static final class KeygenException extends Exception {
        KeygenException(String message) {
            super(message);
        }
    }

}
