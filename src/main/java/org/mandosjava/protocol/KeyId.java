package org.mandosjava.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A client's identity: SHA-256 over the DER SubjectPublicKeyInfo of its TLS raw public key, as 64
 * upper-case hex digits (spec §5.5). A configured key_id is brought to this form by
 * {@code ClientsConf.normalizedId}.
 */
public final class KeyId {
    /** SHA-256 of the empty string: what buggy 1.8.0 clients reported; it never matches (spec §5.6). */
    public static final String EMPTY_KEY = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    private KeyId() {}

    public static String of(byte[] subjectPublicKeyInfo) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo);
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
