package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mandosjava.keys.TlsKeyPair;

/**
 * A client's TLS key alone, in the PEM files the real client reads. One OpenPGP key (slow to make)
 * can serve many test clients that each have their own TLS key and so their own key_id.
 */
public record TlsKeyFiles(Path publicKey, Path privateKey, String keyId) {

    public static TlsKeyFiles generate(Path dir, String name) throws IOException {
        TlsKeyPair pair = TlsKeyPair.generateEd25519();
        Path pub = dir.resolve(name + "-tls-pubkey.pem");
        Path priv = dir.resolve(name + "-tls-privkey.pem");
        Files.writeString(pub, pair.publicKeyPem());
        Files.writeString(priv, pair.privateKeyPem());
        return new TlsKeyFiles(pub, priv, pair.keyId());
    }

    /** The client options that make a client present this key instead of its key directory's. */
    public String[] clientOptions() {
        return new String[] {"--tls-pubkey=" + publicKey, "--tls-privkey=" + privateKey};
    }

    /** A keygen section given this key's key_id instead of the one it was printed with. */
    public String section(String keygenSection) {
        return keygenSection.replaceFirst("(?m)^key_id = .*$", "key_id = " + keyId.toLowerCase(Locale.ROOT));
    }
}
