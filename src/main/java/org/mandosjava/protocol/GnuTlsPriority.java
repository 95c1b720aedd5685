package org.mandosjava.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandosjava.protocol.GnuTlsAlgorithms.Cipher;
import org.mandosjava.protocol.GnuTlsAlgorithms.Group;
import org.mandosjava.protocol.GnuTlsAlgorithms.Level;
import org.mandosjava.protocol.GnuTlsAlgorithms.Sign;
import org.mandosjava.protocol.GnuTlsAlgorithms.Version;

/**
 * Reads a GnuTLS priority string (the {@code priority} setting of mandos.conf, spec §5.3) into the
 * {@link TlsPolicy} our TLS 1.3 client offers.
 *
 * <p>The grammar is GnuTLS's: elements separated by {@code :}, compared case-insensitively. A base
 * keyword ({@code NORMAL}, {@code SECURE128}, …) replaces the algorithm lists with its own; an
 * initial {@code NONE} starts from nothing; {@code +NAME} appends an algorithm (if absent),
 * {@code -NAME} or {@code !NAME} removes it; {@code %FLAG} sets a flag. Lists keep GnuTLS's order, so
 * the handshake offers what the original server offers (spec §5.4).
 *
 * <p>What the result means, and where we differ from GnuTLS on purpose:
 * <ul>
 * <li>Only TLS 1.3 is ever offered: Mandos 1.8 clients speak nothing else, and the raw-public-key
 *     identity (spec §5.5) is a TLS 1.3 design. Older versions in the string are accepted and not
 *     offered; a string that leaves TLS 1.3 disabled is an error.
 * <li>Ciphers, key exchanges, MACs and compression methods without a TLS 1.3 meaning (CBC modes,
 *     {@code RSA}, {@code DHE-RSA}, {@code SHA1}, {@code COMP-NULL}, …) are accepted and offer
 *     nothing; TLS 1.3 suites are AEAD-only, so removing {@code AEAD} removes them all, as in GnuTLS.
 * <li>Signature algorithms are what we accept in the peer's CertificateVerify, the only signature
 *     a raw-public-key handshake checks: PKCS#1 v1.5, SHA-1 and DSA names are accepted and offer
 *     nothing (RFC 8446 forbids them there). {@code SIGN-ED25519}/{@code SIGN-ED448} are accepted as
 *     short names for GnuTLS's {@code SIGN-EdDSA-Ed25519}/{@code SIGN-EdDSA-Ed448}.
 * <li>Group order: when the groups come from keywords ({@code SECURE128}, {@code NORMAL},
 *     {@code +GROUP-ALL}, …), possibly with some removed, X25519 is moved just ahead of SECP256R1;
 *     GnuTLS puts SECP256R1 first. The two give the same (128-bit) security, and a stronger group
 *     the keyword prefers stays ahead of both. The Mandos client (a GnuTLS TLS server) takes the
 *     group our ClientHello prefers, and in our TLS library an X25519 exchange costs about a third
 *     of a P-256 one, which was 38% of the server's CPU per unlock. Once the string adds a group by name
 *     ({@code +GROUP-SECP256R1}, {@code +CURVE-X448}, …) its order is the administrator's and is
 *     kept as GnuTLS would. {@link TlsPolicy} sends one key share, for its first group; a client that
 *     does not accept that group answers with a HelloRetryRequest and the handshake goes on with its
 *     choice, one round trip later.
 * <li>The peer must be allowed to present a raw public key ({@code +CTYPE-RAWPK}, or the
 *     {@code CTYPE-SRV-} form, since the Mandos client is the TLS server); X.509 may stay enabled
 *     but is never accepted, as in the original. OpenPGP certificates are an error: GnuTLS dropped
 *     them in 3.6.0 and Mandos 1.8 replaced them with raw public keys.
 * <li>{@code %} flags that concern TLS ≤ 1.2, session tickets (never used), server-side
 *     preference (we are the TLS client) or certificate verification (raw public keys are not
 *     verified against anything, as in the original) are accepted and change nothing;
 *     {@code %NO_EXTENSIONS} is an error. {@code @KEYWORD} (system-wide priority files) is an error.
 * <li>Where GnuTLS silently disables TLS 1.3 for exotic combinations (e.g. adding the NULL
 *     cipher), we keep offering TLS 1.3 with what remains.
 * </ul>
 * Every element that is not understood is an error naming it: a typo must not quietly weaken or
 * change what the server offers.
 */
public final class GnuTlsPriority {
    private static final Logger LOG = Logger.getLogger(GnuTlsPriority.class.getName());

    /** What to write instead of an OpenPGP-era priority string. */
    static final String OPENPGP_ADVICE = "OpenPGP certificates in TLS were removed in GnuTLS 3.6 and "
            + "Mandos 1.8, whose clients authenticate with a raw public key (their tls-pubkey.pem); "
            + "remove the priority line from mandos.conf to use the default, or use a string with "
            + "+CTYPE-RAWPK such as \"SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:"
            + "%PROFILE_ULTRA\"";

    /** Flags with no effect on a TLS 1.3 client handshake that uses raw public keys (see class doc). */
    private static final Set<String> INERT_FLAGS = Set.of(
            "COMPAT", "DUMBFW", "NO_TICKETS", "NO_TICKETS_TLS12", "SERVER_PRECEDENCE", "NO_ETM",
            "FORCE_ETM", "NO_SESSION_HASH", "FORCE_SESSION_HASH", "SSL3_RECORD_VERSION",
            "LATEST_RECORD_VERSION", "STATELESS_COMPRESSION", "ALLOW_SMALL_RECORDS", "NO_STATUS_REQUEST",
            "NO_SHUFFLE_EXTENSIONS", "SAFE_RENEGOTIATION", "UNSAFE_RENEGOTIATION",
            "PARTIAL_RENEGOTIATION", "DISABLE_SAFE_RENEGOTIATION", "DISABLE_WILDCARDS",
            "VERIFY_ALLOW_SIGN_RSA_MD5", "VERIFY_ALLOW_X509_V1_CA_CRT", "VERIFY_DISABLE_CRL_CHECKS",
            "VERIFY_ALLOW_SIGN_WITH_SHA1", "VERIFY_ALLOW_BROKEN", "VERIFY_DISABLE_TRUSTED_TIME_CHECKS",
            "PROFILE_VERY_WEAK", "PROFILE_LOW", "PROFILE_LEGACY", "PROFILE_MEDIUM", "PROFILE_HIGH",
            "PROFILE_ULTRA", "PROFILE_FUTURE", "PROFILE_SUITEB128", "PROFILE_SUITEB192");

    private static final TlsCrypto CRYPTO = new BcTlsCrypto();

    private GnuTlsPriority() {}

    /**
     * @throws IllegalArgumentException naming the element that cannot be honoured, or saying what
     *     the string leaves out that a Mandos 1.8 client needs
     */
    public static TlsPolicy parse(String priority) {
        if (priority == null || priority.isBlank()) {
            throw new IllegalArgumentException("GnuTLS priority string is empty");
        }
        Lists lists = new Lists();
        String[] elements = priority.split(":", -1);
        int first = 0;
        if (elements[0].equalsIgnoreCase("NONE")) {
            first = 1;
        } else {
            // Like GnuTLS: without NONE, protocol versions and certificate types start at defaults.
            lists.versions.addAll(GnuTlsAlgorithms.ALL_VERSIONS);
            lists.peerCertTypes.add(CertType.X509);
        }
        for (int i = first; i < elements.length; i++) {
            apply(lists, elements[i]);
        }
        return lists.toPolicy();
    }

    private enum CertType { X509, RAWPK }

    /** The algorithm lists as the elements change them, in preference order. */
    private static final class Lists {
        final LinkedHashSet<Version> versions = new LinkedHashSet<>();
        final LinkedHashSet<Cipher> ciphers = new LinkedHashSet<>();
        final LinkedHashSet<Group> groups = new LinkedHashSet<>();
        final LinkedHashSet<Sign> signs = new LinkedHashSet<>();
        /** Certificate types the peer (the TLS server) may present. */
        final Set<CertType> peerCertTypes = EnumSet.noneOf(CertType.class);
        /**
         * TLS 1.3 suites are AEAD-only, so removing the AEAD "MAC" removes them, as in GnuTLS. Unlike
         * GnuTLS, a NONE-based string need not add AEAD back: choosing an AEAD cipher says enough.
         */
        boolean aeadRemoved;
        /** Whether a group was added by name, making the group order the administrator's. */
        boolean groupsAddedByName;

        void setLevel(Level level) {
            replace(versions, level.versions);
            replace(ciphers, level.ciphers);
            replace(groups, level.groups);
            replace(signs, level.signs);
            aeadRemoved = false;
            groupsAddedByName = false;
        }

        void addLevel(Level level) {
            versions.addAll(level.versions);
            ciphers.addAll(level.ciphers);
            groups.addAll(level.groups);
            signs.addAll(level.signs);
            aeadRemoved = false;
        }

        private static <T> void replace(Set<T> set, Collection<T> with) {
            set.clear();
            set.addAll(with);
        }

        TlsPolicy toPolicy() {
            if (!versions.contains(Version.TLS1_3)) {
                throw new IllegalArgumentException("GnuTLS priority string does not enable TLS 1.3 "
                        + "(VERS-TLS1.3), the only version Mandos 1.8 clients speak; this server "
                        + "offers only TLS 1.3");
            }
            if (!peerCertTypes.contains(CertType.RAWPK)) {
                throw new IllegalArgumentException("GnuTLS priority string does not enable raw public "
                        + "keys (+CTYPE-RAWPK), which Mandos 1.8 clients authenticate with");
            }
            int[] suites = !aeadRemoved ? ciphers.stream()
                    .filter(c -> c.tls13Suite != GnuTlsAlgorithms.NOT_IN_TLS13)
                    .filter(c -> TlsUtils.isSupportedCipherSuite(CRYPTO, c.tls13Suite)
                            && TlsUtils.isValidVersionForCipherSuite(c.tls13Suite, ProtocolVersion.TLSv13))
                    .mapToInt(c -> c.tls13Suite).toArray() : new int[0];
            if (suites.length == 0) {
                throw new IllegalArgumentException("GnuTLS priority string leaves no TLS 1.3 cipher "
                        + "suite: enable AEAD and one of AES-256-GCM, CHACHA20-POLY1305, AES-128-GCM, "
                        + "AES-128-CCM, AES-128-CCM-8");
            }
            // BcTlsCrypto supports every TLS 1.3 group and scheme GnuTLS offers (ffdhe included);
            // the filters only guard against a future Bouncy Castle dropping one.
            List<Group> usableGroups = groups.stream()
                    .filter(g -> g.namedGroup != GnuTlsAlgorithms.NOT_IN_TLS13)
                    .filter(g -> CRYPTO.hasNamedGroup(g.namedGroup)
                            && NamedGroup.canBeNegotiated(g.namedGroup, ProtocolVersion.TLSv13))
                    .toList();
            if (usableGroups.isEmpty()) {
                throw new IllegalArgumentException("GnuTLS priority string leaves no TLS 1.3 key "
                        + "exchange group: enable one of GROUP-SECP256R1, GROUP-X25519, GROUP-SECP384R1, "
                        + "GROUP-SECP521R1, GROUP-X448, GROUP-FFDHE2048 … GROUP-FFDHE8192");
            }
            int[] schemes = signs.stream()
                    .filter(s -> s.scheme != GnuTlsAlgorithms.NOT_IN_TLS13)
                    .filter(s -> CRYPTO.hasSignatureScheme(s.scheme))
                    .mapToInt(s -> s.scheme).distinct().toArray();
            if (schemes.length == 0) {
                throw new IllegalArgumentException("GnuTLS priority string leaves no signature "
                        + "algorithm usable in TLS 1.3: enable one of SIGN-EdDSA-Ed25519, "
                        + "SIGN-ECDSA-SECP256R1-SHA256, SIGN-RSA-PSS-RSAE-SHA256, …");
            }
            List<Group> offered = groupsAddedByName ? usableGroups : x25519BeforeSecp256r1(usableGroups);
            return new TlsPolicy(List.of(ProtocolVersion.TLSv13), suites,
                    offered.stream().mapToInt(g -> g.namedGroup).toArray(), schemes);
        }
    }

    /** The keyword order with X25519 moved just ahead of SECP256R1 (see the class comment). */
    static List<Group> x25519BeforeSecp256r1(List<Group> groups) {
        List<Group> ordered = new ArrayList<>(groups);
        int p256 = ordered.indexOf(Group.SECP256R1);
        int x25519 = ordered.indexOf(Group.X25519);
        if (p256 >= 0 && x25519 > p256) ordered.add(p256, ordered.remove(x25519));
        return ordered;
    }

    private static void apply(Lists lists, String element) {
        if (element.isEmpty()) {
            throw new IllegalArgumentException("GnuTLS priority string has an empty element (\"::\" or a "
                    + "leading or trailing \":\")");
        }
        String upper = element.toUpperCase(Locale.ROOT);
        char op = upper.charAt(0);
        String name = upper.substring(1);
        switch (op) {
            case '@' -> throw new IllegalArgumentException("GnuTLS priority element \"" + element
                    + "\" names a system-wide priority keyword; this server has no system priority file: "
                    + "write the algorithms out");
            case '%' -> applyFlag(element, name);
            case '+', '-', '!' -> {
                boolean add = op == '+';
                if (!applyAlgorithm(lists, element, name, add)) throw unknown(element);
            }
            default -> {
                if (upper.equals("NONE")) {
                    throw new IllegalArgumentException("GnuTLS priority element \"NONE\" is only "
                            + "allowed first");
                }
                Level level = level(upper);
                if (level == null) throw unknown(element);
                lists.setLevel(level);
            }
        }
    }

    private static Level level(String name) {
        for (Level level : Level.values()) {
            if (level.name().equals(name)) return level;
        }
        return null;
    }

    private static void applyFlag(String element, String flag) {
        if (flag.equals("NO_EXTENSIONS")) {
            throw new IllegalArgumentException("GnuTLS priority element \"" + element + "\" cannot be "
                    + "honoured: TLS 1.3 (and raw public keys) need extensions");
        }
        if (!INERT_FLAGS.contains(flag)) throw unknown(element);
        LOG.fine(() -> "GnuTLS priority flag " + element + " has no effect on a TLS 1.3 raw-key client");
    }

    /** @return false if {@code name} is no algorithm or keyword GnuTLS knows */
    private static boolean applyAlgorithm(Lists lists, String element, String name, boolean add) {
        if (name.startsWith("VERS-")) return applyVersion(lists, name, add);
        if (name.startsWith("CTYPE-")) return applyCertType(lists, element, name.substring(6), add);
        if (name.startsWith("SIGN-")) return applySign(lists, name, add);
        if (name.startsWith("GROUP-") || name.startsWith("CURVE-")) return applyGroup(lists, name, add);
        Level level = level(name);
        if (level != null && add) {
            lists.addLevel(level);
            return true;
        }
        if (name.equals("CIPHER-ALL")) {
            edit(lists.ciphers, GnuTlsAlgorithms.CIPHERS_NORMAL, add);
            return true;
        }
        Cipher cipher = GnuTlsAlgorithms.CIPHERS.get(name);
        if (cipher != null) {
            edit(lists.ciphers, List.of(cipher), add);
            return true;
        }
        if (name.equals("MAC-ALL") || name.equals("AEAD")) {
            lists.aeadRemoved = !add;
            return true;
        }
        // GOST algorithms have no TLS 1.3 suites here; other MACs, key exchanges and compression
        // methods only exist in TLS ≤ 1.2.
        return GnuTlsAlgorithms.MACS.contains(name) || GnuTlsAlgorithms.KEY_EXCHANGES.contains(name)
                || GnuTlsAlgorithms.COMPRESSIONS.contains(name)
                || name.equals("CIPHER-GOST-ALL") || name.equals("MAC-GOST-ALL") || name.equals("GOST");
    }

    private static boolean applyVersion(Lists lists, String name, boolean add) {
        List<Version> versions = switch (name) {
            case "VERS-ALL" -> GnuTlsAlgorithms.ALL_VERSIONS;
            case "VERS-TLS-ALL" -> GnuTlsAlgorithms.ALL_VERSIONS.stream().filter(v -> !v.isDtls()).toList();
            case "VERS-DTLS-ALL" -> GnuTlsAlgorithms.ALL_VERSIONS.stream().filter(Version::isDtls).toList();
            default -> {
                Version v = GnuTlsAlgorithms.VERSIONS.get(name);
                yield v == null ? null : List.of(v);
            }
        };
        if (versions == null) return false;
        edit(lists.versions, versions, add);
        return true;
    }

    private static boolean applyCertType(Lists lists, String element, String type, boolean add) {
        // CTYPE-CLI-* is about a certificate we would present: we present none.
        boolean peerSide = !type.startsWith("CLI-");
        if (type.startsWith("SRV-") || type.startsWith("CLI-")) type = type.substring(4);
        List<CertType> types = switch (type) {
            case "ALL" -> List.of(CertType.X509, CertType.RAWPK);
            case "X.509", "X509" -> List.of(CertType.X509);
            case "RAWPK" -> List.of(CertType.RAWPK);
            case "OPENPGP" -> {
                if (add) {
                    throw new IllegalArgumentException("GnuTLS priority element \"" + element
                            + "\" cannot be honoured: " + OPENPGP_ADVICE);
                }
                yield List.of();
            }
            default -> null;
        };
        if (types == null) return false;
        if (peerSide) edit(lists.peerCertTypes, types, add);
        return true;
    }

    private static boolean applySign(Lists lists, String name, boolean add) {
        if (name.equals("SIGN-ALL")) {
            edit(lists.signs, GnuTlsAlgorithms.SIGNS_NORMAL, add);
            return true;
        }
        if (name.equals("SIGN-GOST-ALL")) return true;
        Sign sign = GnuTlsAlgorithms.SIGNS.get(name);
        if (sign == null) return false;
        edit(lists.signs, List.of(sign), add);
        return true;
    }

    private static boolean applyGroup(Lists lists, String name, boolean add) {
        List<Group> groups;
        switch (name) {
            case "GROUP-ALL", "CURVE-ALL" -> groups = GnuTlsAlgorithms.GROUPS_NORMAL;
            case "GROUP-EC-ALL" -> groups = GnuTlsAlgorithms.GROUPS_NORMAL.stream()
                    .filter(Group::isEllipticCurve).toList();
            case "GROUP-DH-ALL" -> groups = GnuTlsAlgorithms.GROUPS_NORMAL.stream()
                    .filter(Group::isFiniteField).toList();
            case "GROUP-GOST-ALL" -> groups = List.of();
            default -> {
                // CURVE-NAME is GnuTLS's older spelling, for elliptic curves only.
                boolean curve = name.startsWith("CURVE-");
                Group g = GnuTlsAlgorithms.GROUPS.get(curve ? "GROUP-" + name.substring(6) : name);
                if (g == null || (curve && g.isFiniteField())) return false;
                groups = List.of(g);
                // A group TLS 1.3 cannot use offers nothing, so it orders nothing either.
                if (add && g.namedGroup != GnuTlsAlgorithms.NOT_IN_TLS13) lists.groupsAddedByName = true;
            }
        }
        edit(lists.groups, groups, add);
        return true;
    }

    /** GnuTLS semantics: adding appends what is absent, keeping existing positions. */
    private static <T> void edit(Set<T> set, Collection<T> items, boolean add) {
        if (add) set.addAll(items);
        else set.removeAll(items);
    }

    private static IllegalArgumentException unknown(String element) {
        return new IllegalArgumentException("GnuTLS priority element \"" + element
                + "\" is not a keyword or algorithm this server knows");
    }
}
