package org.mandosjava.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandosjava.config.ServerSettings;

class GnuTlsPriorityTest {
    private static final int[] FFDHE = {
        NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144,
        NamedGroup.ffdhe8192,
    };
    /** Spec §5.4 signature_algorithms, without the PKCS#1 v1.5 entries (0401, 0501, 0601). */
    private static final int[] OBSERVED_TLS13_SCHEMES = {
        0x0809, 0x0804, 0x0403, 0x0807, 0x080a, 0x0805, 0x0503, 0x0808, 0x080b, 0x0806, 0x0603,
    };

    private static final String RAWPK_TLS13 = ":+CTYPE-RAWPK:-VERS-ALL:+VERS-TLS1.3";

    @Test
    void mandosDefaultStringGivesTheMandosDefaultPolicy() {
        TlsPolicy parsed = GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY);
        TlsPolicy expected = TlsPolicy.mandosDefault();

        assertThat(parsed.versions()).isEqualTo(expected.versions());
        assertThat(parsed.cipherSuites()).containsExactly(expected.cipherSuites());
        // GnuTLS also offers the finite-field groups, after the elliptic ones (spec §5.4), and
        // Bouncy Castle can do them in TLS 1.3, so they stay as fallbacks after mandosDefault()'s.
        assertThat(parsed.namedGroups()).startsWith(expected.namedGroups());
        assertThat(parsed.namedGroups()).endsWith(FFDHE).hasSize(expected.namedGroups().length + FFDHE.length);
        // Same schemes; the order is GnuTLS's wire order (spec §5.4).
        assertThat(parsed.signatureSchemes()).containsExactlyInAnyOrder(expected.signatureSchemes());
        assertThat(parsed.signatureSchemes()).containsExactly(OBSERVED_TLS13_SCHEMES);
    }

    @Test
    void mandosDefaultStringMatchesTheObservedClientHello() {
        TlsPolicy parsed = GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY);

        assertThat(parsed.cipherSuites()).containsExactly(0x1302, 0x1303, 0x1301, 0x1304);
        // Observed supported_groups 0017 0018 0019 001d 001e 0100…0104, key shares 0017 + 001d; we
        // prefer X25519 (001d) to its equal P-256 (0017), and send one key share, for 001d.
        assertThat(parsed.namedGroups()).containsExactly(0x001d, 0x0017, 0x0018, 0x0019, 0x001e,
                0x0100, 0x0101, 0x0102, 0x0103, 0x0104);
    }

    @Test
    void normalWorksAndOffersOnlyTls13() {
        TlsPolicy p = GnuTlsPriority.parse("NORMAL:+CTYPE-RAWPK");

        assertThat(p.versions()).containsExactly(ProtocolVersion.TLSv13);
        assertThat(p.cipherSuites()).containsExactly(CipherSuite.TLS_AES_256_GCM_SHA384,
                CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256,
                CipherSuite.TLS_AES_128_CCM_SHA256);
        // SHA-1 and PKCS#1 entries of NORMAL have no place in a TLS 1.3 CertificateVerify.
        assertThat(p.signatureSchemes()).containsExactly(OBSERVED_TLS13_SCHEMES);
    }

    @Test
    void performancePrefersAes128() {
        TlsPolicy p = GnuTlsPriority.parse("PERFORMANCE:+CTYPE-RAWPK");

        assertThat(p.cipherSuites()).containsExactly(0x1301, 0x1302, 0x1303, 0x1304);
    }

    @Test
    void secure256LimitsSuitesTo256BitOnes() {
        TlsPolicy p = GnuTlsPriority.parse("SECURE256" + RAWPK_TLS13);

        assertThat(p.cipherSuites()).containsExactly(CipherSuite.TLS_AES_256_GCM_SHA384,
                CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
        // GnuTLS's order: secp384r1, secp521r1, ffdhe8192.
        assertThat(p.namedGroups()).containsExactly(NamedGroup.secp384r1, NamedGroup.secp521r1,
                NamedGroup.ffdhe8192);
        assertThat(p.signatureSchemes()).doesNotContain(SignatureScheme.ed25519,
                SignatureScheme.ecdsa_secp256r1_sha256).contains(SignatureScheme.ed448);
    }

    @Test
    void secure192IsSecure256AndSecureIsSecure128() {
        assertSamePolicy(GnuTlsPriority.parse("SECURE192" + RAWPK_TLS13),
                GnuTlsPriority.parse("SECURE256" + RAWPK_TLS13));
        assertSamePolicy(GnuTlsPriority.parse("SECURE" + RAWPK_TLS13),
                GnuTlsPriority.parse("SECURE128" + RAWPK_TLS13));
    }

    @Test
    void pfsAndLegacyListTheSameAsNormal() {
        TlsPolicy normal = GnuTlsPriority.parse("NORMAL:+CTYPE-RAWPK");
        assertSamePolicy(GnuTlsPriority.parse("PFS:+CTYPE-RAWPK"), normal);
        assertSamePolicy(GnuTlsPriority.parse("LEGACY:+CTYPE-RAWPK"), normal);
    }

    @Test
    void suiteBNeedsTls13AddedBack() {
        assertThatThrownBy(() -> GnuTlsPriority.parse("SUITEB128:+CTYPE-RAWPK"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS 1.3");

        TlsPolicy p = GnuTlsPriority.parse("SUITEB128:+CTYPE-RAWPK:+VERS-TLS1.3");
        assertThat(p.cipherSuites()).containsExactly(0x1302, 0x1301);
        assertThat(p.namedGroups()).containsExactly(NamedGroup.secp256r1, NamedGroup.secp384r1);
        assertThat(p.signatureSchemes()).containsExactly(SignatureScheme.ecdsa_secp256r1_sha256,
                SignatureScheme.ecdsa_secp384r1_sha384);

        TlsPolicy p192 = GnuTlsPriority.parse("SUITEB192:+CTYPE-RAWPK:+VERS-TLS1.3");
        assertThat(p192.cipherSuites()).containsExactly(0x1302);
        assertThat(p192.namedGroups()).containsExactly(NamedGroup.secp384r1);
    }

    @Test
    void noneThenAddGivesExactlyWhatWasAdded() {
        TlsPolicy p = GnuTlsPriority.parse(
                "NONE:+VERS-TLS1.3:+AES-128-GCM:+GROUP-X25519:+SIGN-ED25519:+CTYPE-RAWPK");

        assertThat(p.versions()).containsExactly(ProtocolVersion.TLSv13);
        assertThat(p.cipherSuites()).containsExactly(CipherSuite.TLS_AES_128_GCM_SHA256);
        assertThat(p.namedGroups()).containsExactly(NamedGroup.x25519);
        assertThat(p.signatureSchemes()).containsExactly(SignatureScheme.ed25519);
    }

    @Test
    void gnutlsSpellingsAreCaseInsensitive() {
        TlsPolicy p = GnuTlsPriority.parse(
                "none:+vers-tls1.3:+aes-256-gcm:+aead:+curve-secp384r1:+SIGN-EdDSA-Ed25519:+ctype-srv-rawpk");

        assertThat(p.cipherSuites()).containsExactly(CipherSuite.TLS_AES_256_GCM_SHA384);
        assertThat(p.namedGroups()).containsExactly(NamedGroup.secp384r1);
        assertThat(p.signatureSchemes()).containsExactly(SignatureScheme.ed25519);
    }

    @Test
    void addingAppendsAndReaddingMovesToTheEnd() {
        TlsPolicy p = GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13
                + ":-AES-256-GCM:+AES-256-GCM:+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-X448:+GROUP-SECP521R1");

        assertThat(p.cipherSuites()).containsExactly(0x1303, 0x1301, 0x1304, 0x1302);
        assertThat(p.namedGroups()).containsExactly(NamedGroup.x448, NamedGroup.secp521r1);
    }

    @Test
    void cipherAllAddsBackNormalsCiphersAfterTheLevels() {
        TlsPolicy p = GnuTlsPriority.parse("SECURE256" + RAWPK_TLS13 + ":+CIPHER-ALL:+GROUP-ALL");

        assertThat(p.cipherSuites()).containsExactly(0x1302, 0x1303, 0x1301, 0x1304);
        assertThat(p.namedGroups()).containsExactly(NamedGroup.secp384r1, NamedGroup.secp521r1,
                NamedGroup.ffdhe8192, NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.x448,
                NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144);
    }

    @Test
    void groupFamiliesSelectEllipticOrFiniteFieldGroups() {
        assertThat(GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":-GROUP-ALL:+GROUP-DH-ALL").namedGroups())
                .containsExactly(FFDHE);
        assertThat(GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":-GROUP-ALL:+GROUP-EC-ALL").namedGroups())
                .containsExactly(NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1,
                        NamedGroup.secp521r1, NamedGroup.x448);
    }

    @Test
    void x25519IsPreferredToSecp256r1UnlessTheStringOrdersGroupsItself() {
        assertThat(GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY).namedGroups()).startsWith(
                NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1);
        assertThat(GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":-GROUP-X25519").namedGroups())
                .startsWith(NamedGroup.secp256r1);
        assertThat(GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13
                + ":-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519").namedGroups())
                .containsExactly(NamedGroup.secp256r1, NamedGroup.x25519);
        assertThat(GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":+CURVE-X25519:SECURE128").namedGroups())
                .as("a keyword after the names starts over").startsWith(NamedGroup.x25519);
    }

    @Test
    void defaultStringGivesTheBuiltInDefault() {
        TlsPolicy parsed = GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY);
        TlsPolicy builtIn = TlsPolicy.mandosDefault();
        assertThat(parsed.cipherSuites()).containsExactly(builtIn.cipherSuites());
        assertThat(parsed.namedGroups()).startsWith(builtIn.namedGroups());
        assertThat(parsed.versions()).isEqualTo(builtIn.versions());
    }

    @Test
    void ccm8IsOfferedWhenAsked() {
        TlsPolicy p = GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":+AES-128-CCM-8");

        assertThat(p.cipherSuites()).endsWith(CipherSuite.TLS_AES_128_CCM_8_SHA256);
    }

    @Test
    void algorithmsWithoutTls13MeaningAreAcceptedAndOfferNothing() {
        String withExtras = ServerSettings.DEFAULT_PRIORITY
                + ":+AES-256-CBC:+CAMELLIA-128-GCM:+3DES-CBC:-RSA:+DHE-RSA:+ECDHE-ECDSA:+ECDHE-RSA:-KX-ALL"
                + ":+SHA256:-SHA1:+MAC-ALL:+COMP-NULL:-COMP-ALL:+GROUP-SECP192R1:+CURVE-SECP224R1"
                + ":+SIGN-DSA-SHA256:+SIGN-RSA-SHA1:+SIGN-ALL:+VERS-TLS1.2:+VERS-DTLS1.2:+GOST";

        assertSamePolicy(GnuTlsPriority.parse(withExtras), GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY));
    }

    @Test
    void tls12BesideTls13IsAcceptedButNotOffered() {
        TlsPolicy p = GnuTlsPriority.parse("NORMAL:+CTYPE-RAWPK:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3");

        assertThat(p.versions()).containsExactly(ProtocolVersion.TLSv13);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NORMAL:+CTYPE-RAWPK:-VERS-TLS1.3", "NORMAL:+CTYPE-RAWPK:!VERS-ALL:+VERS-TLS1.2",
        "NORMAL:+CTYPE-RAWPK:-VERS-TLS-ALL", "NONE:+AES-128-GCM:+GROUP-X25519:+SIGN-ED25519:+CTYPE-RAWPK"})
    void withoutTls13ItIsAnError(String priority) {
        assertThatThrownBy(() -> GnuTlsPriority.parse(priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS 1.3").hasMessageContaining("Mandos 1.8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NORMAL" + RAWPK_TLS13 + ":-CIPHER-ALL",
        "NORMAL" + RAWPK_TLS13 + ":-AES-256-GCM:-AES-128-GCM:-CHACHA20-POLY1305:-AES-128-CCM",
        "NORMAL" + RAWPK_TLS13 + ":-CIPHER-ALL:+AES-256-CBC:+AES-256-CCM",
        "NORMAL" + RAWPK_TLS13 + ":-AEAD", "NORMAL" + RAWPK_TLS13 + ":-MAC-ALL"})
    void removingAllTls13SuitesIsAnError(String priority) {
        assertThatThrownBy(() -> GnuTlsPriority.parse(priority))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cipher suite");
    }

    @Test
    void removingAllGroupsOrSignaturesIsAnError() {
        assertThatThrownBy(() -> GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":-GROUP-ALL"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":-GROUP-ALL:+GROUP-SECP192R1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> GnuTlsPriority.parse("NORMAL" + RAWPK_TLS13 + ":-SIGN-ALL:+SIGN-RSA-SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NORMAL", "SECURE128:-VERS-ALL:+VERS-TLS1.3", "NORMAL:+CTYPE-RAWPK:-CTYPE-ALL",
        "NORMAL:+CTYPE-CLI-RAWPK", "NORMAL:+CTYPE-RAWPK:-CTYPE-SRV-RAWPK"})
    void rawPublicKeysMustStayEnabledForThePeer(String priority) {
        assertThatThrownBy(() -> GnuTlsPriority.parse(priority))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("+CTYPE-RAWPK");
    }

    @Test
    void certificateTypeSpellings() {
        TlsPolicy reference = GnuTlsPriority.parse("NORMAL:+CTYPE-RAWPK");
        for (String s : List.of("NORMAL:+CTYPE-ALL", "NORMAL:+CTYPE-SRV-RAWPK", "NORMAL:!CTYPE-X.509:+CTYPE-RAWPK",
                "NORMAL:-CTYPE-X509:+CTYPE-SRV-ALL", "NORMAL:+CTYPE-RAWPK:-CTYPE-CLI-RAWPK:-CTYPE-OPENPGP")) {
            assertSamePolicy(GnuTlsPriority.parse(s), reference);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SECURE256:!CTYPE-X.509:+CTYPE-OPENPGP:!RSA:+SIGN-DSA-SHA256",
        "SECURE256:!CTYPE-X.509:+CTYPE-OPENPGP", "NORMAL:+CTYPE-RAWPK:+CTYPE-SRV-OPENPGP"})
    void openPgpStringsExplainWhatToDo(String priority) {
        assertThatThrownBy(() -> GnuTlsPriority.parse(priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENPGP")
                .hasMessageContaining("raw public key")
                .hasMessageContaining("remove the priority line")
                .hasMessageContaining(ServerSettings.DEFAULT_PRIORITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "NORMAL:+CTYPE-RAWPK:+FOO", "NORMAL:+CTYPE-RAWPK:-AES-999-GCM",
        "NORMAL:+CTYPE-RAWPK:+GROUP-SECP999R1", "NORMAL:+CTYPE-RAWPK:+SIGN-FOO", "NORMAL:+CTYPE-RAWPK:+VERS-TLS9",
        "NORMAL:+CTYPE-RAWPK:+CTYPE-FOO", "NORMAL:+CTYPE-RAWPK:%FOO", "NORMAL:+CTYPE-RAWPK:+CURVE-FFDHE2048",
        "NORMAL:+CTYPE-RAWPK:-NORMAL", "NORMAL:+CTYPE-RAWPK:*AES-128-GCM", "EXPORT"})
    void unknownElementIsAnErrorNamingIt(String priority) {
        String element = priority.substring(priority.lastIndexOf(':') + 1);
        assertThatThrownBy(() -> GnuTlsPriority.parse(priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + element + "\"");
    }

    @Test
    void noExtensionsIsAnError() {
        assertThatThrownBy(() -> GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY + ":%NO_EXTENSIONS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("%NO_EXTENSIONS").hasMessageContaining("extensions");
    }

    @Test
    void systemKeywordsAreAnError() {
        assertThatThrownBy(() -> GnuTlsPriority.parse("@SYSTEM"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"@SYSTEM\"").hasMessageContaining("system");
    }

    @Test
    void inertFlagsChangeNothing() {
        TlsPolicy reference = GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY);
        for (String flag : List.of("%COMPAT", "%NO_TICKETS", "%SERVER_PRECEDENCE", "%PROFILE_LOW",
                "%PROFILE_SUITEB192", "%DUMBFW", "%NO_ETM", "%VERIFY_ALLOW_SIGN_WITH_SHA1", "%profile_high")) {
            assertSamePolicy(GnuTlsPriority.parse(ServerSettings.DEFAULT_PRIORITY + ":" + flag), reference);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "NORMAL:", "NORMAL::+CTYPE-RAWPK", ":NORMAL"})
    void emptyStringsAndElementsAreErrors(String priority) {
        assertThatThrownBy(() -> GnuTlsPriority.parse(priority))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void noneIsOnlyAllowedFirst() {
        assertThatThrownBy(() -> GnuTlsPriority.parse("NORMAL:+CTYPE-RAWPK:NONE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"NONE\"");
    }

    @Test
    void aLaterBaseKeywordReplacesTheListsAndPlusKeywordAdds() {
        assertSamePolicy(GnuTlsPriority.parse("NORMAL:+CTYPE-RAWPK:-AES-256-GCM:SECURE256"),
                GnuTlsPriority.parse("SECURE256:+CTYPE-RAWPK"));
        assertSamePolicy(GnuTlsPriority.parse("SECURE128:+SECURE256:+CTYPE-RAWPK"),
                GnuTlsPriority.parse("SECURE128:+CTYPE-RAWPK"));
    }

    private static void assertSamePolicy(TlsPolicy actual, TlsPolicy expected) {
        assertThat(actual.versions()).isEqualTo(expected.versions());
        assertThat(actual.cipherSuites()).containsExactly(expected.cipherSuites());
        assertThat(actual.namedGroups()).containsExactly(expected.namedGroups());
        assertThat(actual.signatureSchemes()).containsExactly(expected.signatureSchemes());
    }
}
