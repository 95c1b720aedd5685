package org.mandosjava.bench;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.mandosjava.protocol.ClientHandshake;

/**
 * One simulated machine: a configured client name, its TLS key (as the load generator presents it),
 * and the secret the server should hand it.
 */
record BenchClient(String name, ClientHandshake handshake, byte[] secret) {
    /** What mandos-keygen's OpenPGP-encrypted secrets weigh for a 4096-bit key. */
    static final int SECRET_BYTES = 1186;

    String keyId() {
        return handshake.keyId();
    }

    /** Makes {@code count} clients with fresh Ed25519 keys and random secrets. */
    static List<BenchClient> generate(int count, SecureRandom random) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            List<BenchClient> clients = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                KeyPair pair = generator.generateKeyPair();
                byte[] secret = new byte[SECRET_BYTES];
                random.nextBytes(secret);
                clients.add(new BenchClient(String.format("bench-%06d", i),
                        new ClientHandshake(pair.getPublic(), pair.getPrivate()), secret));
            }
            return clients;
        } catch (GeneralSecurityException e) {
            throw new IOException("Ed25519 key generation is unavailable", e);
        }
    }
}
