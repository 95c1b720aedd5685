package org.mandosjava.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.mandosjava.protocol.ClientHandshake;

/**
 * One simulated machine: a configured client name, its TLS key (as the load generator presents it),
 * the secret the server should hand it, and the loopback address it connects from (a rack is many
 * machines, each with its own address; the server limits what one address may hold).
 */
record BenchClient(String name, ClientHandshake handshake, byte[] secret, InetAddress source) {
    /** What mandos-keygen's OpenPGP-encrypted secrets weigh for a 4096-bit key. */
    static final int SECRET_BYTES = 1186;
    /** Hosts per /24 of the sources: .1 to .250. */
    private static final int HOSTS_PER_BLOCK = 250;

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
                        new ClientHandshake(pair.getPublic(), pair.getPrivate()), secret, source(i)));
            }
            return clients;
        } catch (GeneralSecurityException e) {
            throw new IOException("Ed25519 key generation is unavailable", e);
        }
    }

    /**
     * Machine {@code i}'s address: 127.0.1.1, 127.0.1.2, … 127.0.1.250, 127.0.2.1, … (all of 127/8 is
     * loopback on Linux, no configuration needed). 127.0.0.x is left to the servers (127.0.0.1) and
     * the hostile flood (127.0.0.2).
     */
    static InetAddress source(int i) {
        int block = 1 + i / HOSTS_PER_BLOCK;
        if (block > 255) throw new IllegalArgumentException("more machines than source addresses: " + i);
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) block, (byte) (1 + i % HOSTS_PER_BLOCK)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
