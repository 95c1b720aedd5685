package org.mandosjava.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.mandosjava.protocol.KeyId;

/**
 * Client keys and clients.conf sections made by the real {@code mandos-keygen}. RSA-4096 generation
 * takes seconds, so one OpenPGP key serves many test clients; each client gets its own Ed25519 TLS
 * key (the real client takes the two from separate files, so this is what a fleet sharing nothing
 * but a PGP key would look like to the server).
 */
final class KeyMaterial {
    final Path dir;

    private KeyMaterial(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code mandos-keygen --dir DIR --force}. */
    static KeyMaterial generate(Path dir) throws IOException, InterruptedException {
        Peers.require(Peers.MANDOS_KEYGEN);
        Files.createDirectories(dir);
        var result = ProcessRunner.run(List.of(Peers.MANDOS_KEYGEN.toString(), "--dir", dir.toString(),
                "--force"), Duration.ofMinutes(2));
        if (result.exitCode() != 0 || !Files.exists(dir.resolve("seckey.txt"))) {
            throw new IOException("mandos-keygen failed: " + result.stderr());
        }
        return new KeyMaterial(dir);
    }

    Path pubkey() { return dir.resolve("pubkey.txt"); }
    Path seckey() { return dir.resolve("seckey.txt"); }
    Path tlsPubkey() { return dir.resolve("tls-pubkey.pem"); }
    Path tlsPrivkey() { return dir.resolve("tls-privkey.pem"); }

    /** The clients.conf section the real keygen prints for this key dir and password. */
    String section(String name, byte[] password) throws IOException, InterruptedException {
        Path passfile = Files.createTempFile(dir, "pass", ".txt");
        try {
            Files.write(passfile, password);
            var result = ProcessRunner.run(List.of(Peers.MANDOS_KEYGEN.toString(), "--dir", dir.toString(),
                    "--passfile", passfile.toString(), "--name", name, "--no-ssh"), Duration.ofMinutes(1));
            if (result.exitCode() != 0) throw new IOException("mandos-keygen --passfile failed: " + result.stderr());
            return result.stdoutText();
        } finally {
            Files.deleteIfExists(passfile);
        }
    }

    /** A fresh Ed25519 TLS key pair in PEM files, as the real client reads them. */
    record TlsKey(Path pubkey, Path privkey, String keyId) {
        static TlsKey generate(Path dir, String name) throws IOException {
            KeyPair pair;
            try {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
            Path pub = dir.resolve(name + "-tls-pubkey.pem");
            Path priv = dir.resolve(name + "-tls-privkey.pem");
            Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            return new TlsKey(pub, priv, KeyId.of(pair.getPublic().getEncoded()));
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }

    /** Replaces the key_id line of a keygen section, to give it another TLS key. */
    static String withKeyId(String section, String keyId) {
        return section.replaceFirst("(?m)^key_id = .*$", "key_id = " + keyId.toLowerCase(java.util.Locale.ROOT));
    }
}
