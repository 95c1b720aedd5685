package org.mandosjava.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.protocol.KeyId;

/** Client configurations built in code, for tests that need no clients.conf. */
final class TestClients {
    private TestClients() {}

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static ClientConfig client(String name, KeyPair key, String secret, boolean enabled) {
        return client(name, KeyId.of(key.getPublic().getEncoded()), secret.getBytes(StandardCharsets.UTF_8),
                enabled);
    }

    static ClientConfig client(String name, String keyId, byte[] secret, boolean enabled) {
        return client(name, keyId, secret, enabled, Duration.ZERO, true);
    }

    /** A client with the built-in timing defaults: timeout 5 min, extended 15 min, interval 2 min. */
    static ClientConfig client(String name, String keyId, byte[] secret, boolean enabled, Duration approvalDelay,
            boolean approvedByDefault) {
        return new ClientConfig(name, keyId, "", secret, "", "true", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), approvalDelay, Duration.ofSeconds(1),
                approvedByDefault, enabled,
                Map.of("name", name, "enabled", Boolean.toString(enabled),
                        "approval_delay", approvalDelay.toString()), Path.of("test"), 1);
    }
}
