package org.mandosjava.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;

/**
 * GnuTLS's algorithm names and the lists its base keywords stand for, as GnuTLS 3.7.9 reports them
 * ({@code gnutls-cli --priority STRING --list}), with the TLS 1.3 code point each one maps to. A
 * code point of {@link #NOT_IN_TLS13} marks a name GnuTLS knows but that has no meaning for a
 * TLS 1.3 handshake with a raw public key; such names are accepted and offer nothing.
 */
final class GnuTlsAlgorithms {
    private GnuTlsAlgorithms() {}

    static final int NOT_IN_TLS13 = -1;

    enum Version {
        TLS1_3("VERS-TLS1.3"), TLS1_2("VERS-TLS1.2"), TLS1_1("VERS-TLS1.1"), TLS1_0("VERS-TLS1.0"),
        SSL3_0("VERS-SSL3.0"), DTLS1_2("VERS-DTLS1.2"), DTLS1_0("VERS-DTLS1.0"), DTLS0_9("VERS-DTLS0.9");

        final String gnutlsName;

        Version(String gnutlsName) { this.gnutlsName = gnutlsName; }

        boolean isDtls() { return gnutlsName.startsWith("VERS-DTLS"); }
    }

    /** Bulk ciphers; only the AEAD ones with a TLS 1.3 suite matter to us. */
    enum Cipher {
        AES_256_GCM("AES-256-GCM", CipherSuite.TLS_AES_256_GCM_SHA384),
        CHACHA20_POLY1305("CHACHA20-POLY1305", CipherSuite.TLS_CHACHA20_POLY1305_SHA256),
        AES_128_GCM("AES-128-GCM", CipherSuite.TLS_AES_128_GCM_SHA256),
        AES_128_CCM("AES-128-CCM", CipherSuite.TLS_AES_128_CCM_SHA256),
        AES_128_CCM_8("AES-128-CCM-8", CipherSuite.TLS_AES_128_CCM_8_SHA256),
        AES_256_CCM("AES-256-CCM", NOT_IN_TLS13),
        AES_256_CCM_8("AES-256-CCM-8", NOT_IN_TLS13),
        AES_256_CBC("AES-256-CBC", NOT_IN_TLS13),
        AES_192_CBC("AES-192-CBC", NOT_IN_TLS13),
        AES_128_CBC("AES-128-CBC", NOT_IN_TLS13),
        AES_192_GCM("AES-192-GCM", NOT_IN_TLS13),
        CAMELLIA_256_GCM("CAMELLIA-256-GCM", NOT_IN_TLS13),
        CAMELLIA_128_GCM("CAMELLIA-128-GCM", NOT_IN_TLS13),
        CAMELLIA_256_CBC("CAMELLIA-256-CBC", NOT_IN_TLS13),
        CAMELLIA_192_CBC("CAMELLIA-192-CBC", NOT_IN_TLS13),
        CAMELLIA_128_CBC("CAMELLIA-128-CBC", NOT_IN_TLS13),
        TRIPLE_DES_CBC("3DES-CBC", NOT_IN_TLS13),
        DES_CBC("DES-CBC", NOT_IN_TLS13),
        ARCFOUR_128("ARCFOUR-128", NOT_IN_TLS13),
        ARCFOUR_40("ARCFOUR-40", NOT_IN_TLS13),
        RC2_40("RC2-40", NOT_IN_TLS13),
        SALSA20_256("SALSA20-256", NOT_IN_TLS13),
        ESTREAM_SALSA20_256("ESTREAM-SALSA20-256", NOT_IN_TLS13),
        GOST28147_TC26Z_CNT("GOST28147-TC26Z-CNT", NOT_IN_TLS13),
        MAGMA_CTR_ACPKM("MAGMA-CTR-ACPKM", NOT_IN_TLS13),
        KUZNYECHIK_CTR_ACPKM("KUZNYECHIK-CTR-ACPKM", NOT_IN_TLS13),
        NULL("NULL", NOT_IN_TLS13);

        final String gnutlsName;
        final int tls13Suite;

        Cipher(String gnutlsName, int tls13Suite) {
            this.gnutlsName = gnutlsName;
            this.tls13Suite = tls13Suite;
        }
    }

    /**
     * Key exchange groups. {@code keyShareFamily} is GnuTLS's public-key type of the group: its
     * TLS 1.3 client sends key shares for the first group and the first one of another family.
     */
    enum Group {
        SECP256R1("SECP256R1", NamedGroup.secp256r1, "EC"),
        SECP384R1("SECP384R1", NamedGroup.secp384r1, "EC"),
        SECP521R1("SECP521R1", NamedGroup.secp521r1, "EC"),
        X25519("X25519", NamedGroup.x25519, "X25519"),
        X448("X448", NamedGroup.x448, "X448"),
        FFDHE2048("FFDHE2048", NamedGroup.ffdhe2048, "DH"),
        FFDHE3072("FFDHE3072", NamedGroup.ffdhe3072, "DH"),
        FFDHE4096("FFDHE4096", NamedGroup.ffdhe4096, "DH"),
        FFDHE6144("FFDHE6144", NamedGroup.ffdhe6144, "DH"),
        FFDHE8192("FFDHE8192", NamedGroup.ffdhe8192, "DH"),
        // TLS 1.3 forbids these small curves; GnuTLS never offers them there either.
        SECP192R1("SECP192R1", NOT_IN_TLS13, "EC"),
        SECP224R1("SECP224R1", NOT_IN_TLS13, "EC"),
        // GOST curves: GnuTLS uses them only with its GOST TLS 1.2 suites.
        GC256A("GC256A", NOT_IN_TLS13, "GOST"),
        GC256B("GC256B", NOT_IN_TLS13, "GOST"),
        GC256C("GC256C", NOT_IN_TLS13, "GOST"),
        GC256D("GC256D", NOT_IN_TLS13, "GOST"),
        GC512A("GC512A", NOT_IN_TLS13, "GOST"),
        GC512B("GC512B", NOT_IN_TLS13, "GOST"),
        GC512C("GC512C", NOT_IN_TLS13, "GOST");

        final String gnutlsName;
        final int namedGroup;
        final String keyShareFamily;

        Group(String gnutlsName, int namedGroup, String keyShareFamily) {
            this.gnutlsName = gnutlsName;
            this.namedGroup = namedGroup;
            this.keyShareFamily = keyShareFamily;
        }

        boolean isEllipticCurve() { return keyShareFamily.equals("EC") || keyShareFamily.startsWith("X"); }

        boolean isFiniteField() { return keyShareFamily.equals("DH"); }
    }

    /**
     * Signature algorithms. Mandos peers authenticate with a raw public key, so the only signature
     * we ever check is the TLS 1.3 CertificateVerify, where RFC 8446 §4.4.3 allows neither
     * PKCS#1 v1.5 nor SHA-1 nor DSA: those names map to {@link #NOT_IN_TLS13}. GnuTLS's
     * curve-less ECDSA names mean the curve-bound TLS 1.3 scheme of the same hash.
     */
    enum Sign {
        RSA_SHA256("SIGN-RSA-SHA256", NOT_IN_TLS13),
        RSA_PSS_SHA256("SIGN-RSA-PSS-SHA256", SignatureScheme.rsa_pss_pss_sha256),
        RSA_PSS_RSAE_SHA256("SIGN-RSA-PSS-RSAE-SHA256", SignatureScheme.rsa_pss_rsae_sha256),
        ECDSA_SHA256("SIGN-ECDSA-SHA256", SignatureScheme.ecdsa_secp256r1_sha256),
        ECDSA_SECP256R1_SHA256("SIGN-ECDSA-SECP256R1-SHA256", SignatureScheme.ecdsa_secp256r1_sha256),
        EDDSA_ED25519("SIGN-EdDSA-Ed25519", SignatureScheme.ed25519),
        RSA_SHA384("SIGN-RSA-SHA384", NOT_IN_TLS13),
        RSA_PSS_SHA384("SIGN-RSA-PSS-SHA384", SignatureScheme.rsa_pss_pss_sha384),
        RSA_PSS_RSAE_SHA384("SIGN-RSA-PSS-RSAE-SHA384", SignatureScheme.rsa_pss_rsae_sha384),
        ECDSA_SHA384("SIGN-ECDSA-SHA384", SignatureScheme.ecdsa_secp384r1_sha384),
        ECDSA_SECP384R1_SHA384("SIGN-ECDSA-SECP384R1-SHA384", SignatureScheme.ecdsa_secp384r1_sha384),
        EDDSA_ED448("SIGN-EdDSA-Ed448", SignatureScheme.ed448),
        RSA_SHA512("SIGN-RSA-SHA512", NOT_IN_TLS13),
        RSA_PSS_SHA512("SIGN-RSA-PSS-SHA512", SignatureScheme.rsa_pss_pss_sha512),
        RSA_PSS_RSAE_SHA512("SIGN-RSA-PSS-RSAE-SHA512", SignatureScheme.rsa_pss_rsae_sha512),
        ECDSA_SHA512("SIGN-ECDSA-SHA512", SignatureScheme.ecdsa_secp521r1_sha512),
        ECDSA_SECP521R1_SHA512("SIGN-ECDSA-SECP521R1-SHA512", SignatureScheme.ecdsa_secp521r1_sha512),
        RSA_SHA1("SIGN-RSA-SHA1", NOT_IN_TLS13),
        ECDSA_SHA1("SIGN-ECDSA-SHA1", NOT_IN_TLS13),
        RSA_SHA224("SIGN-RSA-SHA224", NOT_IN_TLS13),
        ECDSA_SHA224("SIGN-ECDSA-SHA224", NOT_IN_TLS13),
        RSA_RAW("SIGN-RSA-RAW", NOT_IN_TLS13),
        RSA_RMD160("SIGN-RSA-RMD160", NOT_IN_TLS13),
        RSA_MD5("SIGN-RSA-MD5", NOT_IN_TLS13),
        RSA_MD2("SIGN-RSA-MD2", NOT_IN_TLS13),
        DSA_SHA1("SIGN-DSA-SHA1", NOT_IN_TLS13),
        DSA_SHA224("SIGN-DSA-SHA224", NOT_IN_TLS13),
        DSA_SHA256("SIGN-DSA-SHA256", NOT_IN_TLS13),
        DSA_SHA384("SIGN-DSA-SHA384", NOT_IN_TLS13),
        DSA_SHA512("SIGN-DSA-SHA512", NOT_IN_TLS13),
        ECDSA_SHA3_224("SIGN-ECDSA-SHA3-224", NOT_IN_TLS13),
        ECDSA_SHA3_256("SIGN-ECDSA-SHA3-256", NOT_IN_TLS13),
        ECDSA_SHA3_384("SIGN-ECDSA-SHA3-384", NOT_IN_TLS13),
        ECDSA_SHA3_512("SIGN-ECDSA-SHA3-512", NOT_IN_TLS13),
        RSA_SHA3_224("SIGN-RSA-SHA3-224", NOT_IN_TLS13),
        RSA_SHA3_256("SIGN-RSA-SHA3-256", NOT_IN_TLS13),
        RSA_SHA3_384("SIGN-RSA-SHA3-384", NOT_IN_TLS13),
        RSA_SHA3_512("SIGN-RSA-SHA3-512", NOT_IN_TLS13),
        DSA_SHA3_224("SIGN-DSA-SHA3-224", NOT_IN_TLS13),
        DSA_SHA3_256("SIGN-DSA-SHA3-256", NOT_IN_TLS13),
        DSA_SHA3_384("SIGN-DSA-SHA3-384", NOT_IN_TLS13),
        DSA_SHA3_512("SIGN-DSA-SHA3-512", NOT_IN_TLS13),
        GOSTR341012_512("SIGN-GOSTR341012-512", NOT_IN_TLS13),
        GOSTR341012_256("SIGN-GOSTR341012-256", NOT_IN_TLS13),
        GOSTR341001("SIGN-GOSTR341001", NOT_IN_TLS13);

        final String gnutlsName;
        final int scheme;

        Sign(String gnutlsName, int scheme) {
            this.gnutlsName = gnutlsName;
            this.scheme = scheme;
        }
    }

    /**
     * GnuTLS's base keywords and what each stands for. LEGACY and PFS list the same algorithms as
     * NORMAL in GnuTLS 3.7 (they differ in key exchange and verification profile, which do not
     * matter for TLS 1.3 with raw public keys); SECURE is GnuTLS's old name for SECURE128.
     */
    enum Level {
        NORMAL(ALL_VERSIONS, CIPHERS_NORMAL, GROUPS_NORMAL, SIGNS_NORMAL),
        PFS(ALL_VERSIONS, CIPHERS_NORMAL, GROUPS_NORMAL, SIGNS_NORMAL),
        LEGACY(ALL_VERSIONS, CIPHERS_NORMAL, GROUPS_NORMAL, SIGNS_NORMAL),
        PERFORMANCE(ALL_VERSIONS, CIPHERS_PERFORMANCE, GROUPS_NORMAL, SIGNS_NORMAL),
        SECURE(ALL_VERSIONS, CIPHERS_SECURE128, GROUPS_NORMAL, SIGNS_SECURE128),
        SECURE128(ALL_VERSIONS, CIPHERS_SECURE128, GROUPS_NORMAL, SIGNS_SECURE128),
        SECURE192(ALL_VERSIONS, CIPHERS_SECURE192, GROUPS_SECURE192, SIGNS_SECURE192),
        SECURE256(ALL_VERSIONS, CIPHERS_SECURE192, GROUPS_SECURE192, SIGNS_SECURE192),
        SUITEB128(List.of(Version.TLS1_2), List.of(Cipher.AES_256_GCM, Cipher.AES_128_GCM),
                List.of(Group.SECP256R1, Group.SECP384R1),
                List.of(Sign.ECDSA_SHA256, Sign.ECDSA_SECP256R1_SHA256, Sign.ECDSA_SHA384,
                        Sign.ECDSA_SECP384R1_SHA384)),
        SUITEB192(List.of(Version.TLS1_2), List.of(Cipher.AES_256_GCM), List.of(Group.SECP384R1),
                List.of(Sign.ECDSA_SHA384, Sign.ECDSA_SECP384R1_SHA384));

        final List<Version> versions;
        final List<Cipher> ciphers;
        final List<Group> groups;
        final List<Sign> signs;

        Level(List<Version> versions, List<Cipher> ciphers, List<Group> groups, List<Sign> signs) {
            this.versions = versions;
            this.ciphers = ciphers;
            this.groups = groups;
            this.signs = signs;
        }
    }

    // GnuTLS's default protocol list (what VERS-ALL adds); SSL 3.0 and DTLS 0.9 need explicit adding.
    static final List<Version> ALL_VERSIONS = List.of(Version.TLS1_3, Version.TLS1_2, Version.TLS1_1,
            Version.TLS1_0, Version.DTLS1_2, Version.DTLS1_0);

    static final List<Cipher> CIPHERS_NORMAL = List.of(Cipher.AES_256_GCM, Cipher.CHACHA20_POLY1305,
            Cipher.AES_256_CCM, Cipher.AES_256_CBC, Cipher.AES_128_GCM, Cipher.AES_128_CCM,
            Cipher.AES_128_CBC);
    static final List<Cipher> CIPHERS_PERFORMANCE = List.of(Cipher.AES_128_GCM, Cipher.AES_256_GCM,
            Cipher.CHACHA20_POLY1305, Cipher.AES_128_CCM, Cipher.AES_256_CCM, Cipher.AES_128_CBC,
            Cipher.AES_256_CBC);
    static final List<Cipher> CIPHERS_SECURE128 = List.of(Cipher.AES_256_GCM, Cipher.CHACHA20_POLY1305,
            Cipher.AES_256_CBC, Cipher.AES_256_CCM, Cipher.AES_128_GCM, Cipher.AES_128_CBC,
            Cipher.AES_128_CCM);
    static final List<Cipher> CIPHERS_SECURE192 = List.of(Cipher.AES_256_GCM, Cipher.CHACHA20_POLY1305,
            Cipher.AES_256_CBC, Cipher.AES_256_CCM);

    static final List<Group> GROUPS_NORMAL = List.of(Group.SECP256R1, Group.SECP384R1, Group.SECP521R1,
            Group.X25519, Group.X448, Group.FFDHE2048, Group.FFDHE3072, Group.FFDHE4096, Group.FFDHE6144,
            Group.FFDHE8192);
    static final List<Group> GROUPS_SECURE192 = List.of(Group.SECP384R1, Group.SECP521R1, Group.FFDHE8192);

    static final List<Sign> SIGNS_SECURE192 = List.of(Sign.RSA_SHA384, Sign.RSA_PSS_SHA384,
            Sign.RSA_PSS_RSAE_SHA384, Sign.ECDSA_SHA384, Sign.ECDSA_SECP384R1_SHA384, Sign.EDDSA_ED448,
            Sign.RSA_SHA512, Sign.RSA_PSS_SHA512, Sign.RSA_PSS_RSAE_SHA512, Sign.ECDSA_SHA512,
            Sign.ECDSA_SECP521R1_SHA512);
    static final List<Sign> SIGNS_SECURE128 = concat(List.of(Sign.RSA_SHA256, Sign.RSA_PSS_SHA256,
            Sign.RSA_PSS_RSAE_SHA256, Sign.ECDSA_SHA256, Sign.ECDSA_SECP256R1_SHA256, Sign.EDDSA_ED25519),
            SIGNS_SECURE192);
    static final List<Sign> SIGNS_NORMAL = concat(SIGNS_SECURE128, List.of(Sign.RSA_SHA1, Sign.ECDSA_SHA1));

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    // Names are looked up upper-cased: GnuTLS compares them case-insensitively.
    static final Map<String, Version> VERSIONS = index(Version.values(), v -> v.gnutlsName);
    static final Map<String, Cipher> CIPHERS = index(Cipher.values(), c -> c.gnutlsName);
    static final Map<String, Group> GROUPS = index(Group.values(), g -> "GROUP-" + g.gnutlsName);
    static final Map<String, Sign> SIGNS = withAliases(index(Sign.values(), s -> s.gnutlsName));

    /**
     * GnuTLS itself only knows SIGN-EdDSA-Ed25519/Ed448; the shorter names are what people write,
     * and cannot mean anything else.
     */
    private static Map<String, Sign> withAliases(Map<String, Sign> names) {
        Map<String, Sign> all = new HashMap<>(names);
        all.put("SIGN-ED25519", Sign.EDDSA_ED25519);
        all.put("SIGN-ED448", Sign.EDDSA_ED448);
        return Map.copyOf(all);
    }

    /** MAC names GnuTLS knows. Only AEAD matters: TLS 1.3 suites are AEAD-only. */
    static final List<String> MACS = List.of("AEAD", "SHA1", "SHA256", "SHA384", "SHA512", "SHA224",
            "MD5", "UMAC-96", "UMAC-128", "GOSTR341194", "STREEBOG-256", "STREEBOG-512", "AES-CMAC-128",
            "AES-CMAC-256", "AES-GMAC-128", "AES-GMAC-192", "AES-GMAC-256", "GOST28147-TC26Z-IMIT",
            "OMAC-MAGMA", "OMAC-KUZNYECHIK");

    /** Key exchange names GnuTLS knows: TLS ≤ 1.2 only; TLS 1.3 negotiates groups instead. */
    static final List<String> KEY_EXCHANGES = List.of("RSA", "DHE-RSA", "DHE-DSS", "ECDHE-RSA",
            "ECDHE-ECDSA", "PSK", "RSA-PSK", "DHE-PSK", "ECDHE-PSK", "SRP", "SRP-RSA", "SRP-DSS",
            "ANON-DH", "ANON-ECDH", "VKO-GOST-12", "RSA-EXPORT", "KX-ALL", "KX-GOST-ALL");

    /** Compression: TLS 1.3 has none. */
    static final List<String> COMPRESSIONS = List.of("COMP-NULL", "COMP-DEFLATE", "COMP-ALL");

    private static <E> Map<String, E> index(E[] values, java.util.function.Function<E, String> name) {
        Map<String, E> map = new HashMap<>();
        for (E e : values) map.put(name.apply(e).toUpperCase(Locale.ROOT), e);
        return Map.copyOf(map);
    }
}
