package org.mandosjava.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandosjava.config.ServerSettings;

/**
 * Cross-checks {@link GnuTlsPriority} against GnuTLS itself: {@code gnutls-cli --priority S --list}
 * prints the TLS 1.3 suites, groups and signature algorithms GnuTLS makes of S, in its order.
 * The name-to-code-point tables here are the IANA registry, kept apart from the ones under test.
 */
class GnuTlsPriorityIT {
    private static final Path GNUTLS_CLI = Path.of("/usr/bin/gnutls-cli");
    private static final long TIMEOUT_SECONDS = 30;
    private static final Pattern TLS13_SUITE = Pattern.compile("^TLS_\\S+\\s+0x([0-9a-f]{2}), 0x([0-9a-f]{2})\\s+TLS1\\.3$");

    private static final Map<String, Integer> GROUPS = Map.of("GROUP-SECP256R1", 23, "GROUP-SECP384R1", 24,
            "GROUP-SECP521R1", 25, "GROUP-X25519", 29, "GROUP-X448", 30, "GROUP-FFDHE2048", 256,
            "GROUP-FFDHE3072", 257, "GROUP-FFDHE4096", 258, "GROUP-FFDHE6144", 259, "GROUP-FFDHE8192", 260);
    /** Only the schemes RFC 8446 allows in a CertificateVerify. */
    private static final Map<String, Integer> TLS13_SIGNATURES = Map.ofEntries(
            Map.entry("SIGN-RSA-PSS-SHA256", 0x0809), Map.entry("SIGN-RSA-PSS-RSAE-SHA256", 0x0804),
            Map.entry("SIGN-ECDSA-SHA256", 0x0403), Map.entry("SIGN-ECDSA-SECP256R1-SHA256", 0x0403),
            Map.entry("SIGN-EdDSA-Ed25519", 0x0807), Map.entry("SIGN-RSA-PSS-SHA384", 0x080a),
            Map.entry("SIGN-RSA-PSS-RSAE-SHA384", 0x0805), Map.entry("SIGN-ECDSA-SHA384", 0x0503),
            Map.entry("SIGN-ECDSA-SECP384R1-SHA384", 0x0503), Map.entry("SIGN-EdDSA-Ed448", 0x0808),
            Map.entry("SIGN-RSA-PSS-SHA512", 0x080b), Map.entry("SIGN-RSA-PSS-RSAE-SHA512", 0x0806),
            Map.entry("SIGN-ECDSA-SHA512", 0x0603), Map.entry("SIGN-ECDSA-SECP521R1-SHA512", 0x0603));

    @BeforeAll
    static void needsGnutlsCli() {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(Files.isExecutable(GNUTLS_CLI)).as("CI must have gnutls-bin installed").isTrue();
        } else {
            assumeThat(Files.isExecutable(GNUTLS_CLI)).as("gnutls-cli (gnutls-bin) is installed").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ServerSettings.DEFAULT_PRIORITY,
        "NORMAL:+CTYPE-RAWPK",
        "PERFORMANCE:+CTYPE-RAWPK",
        "SECURE128:+CTYPE-RAWPK",
        "SECURE192:+CTYPE-RAWPK:-VERS-ALL:+VERS-TLS1.3",
        "SECURE256:+CTYPE-RAWPK",
        "PFS:+CTYPE-RAWPK",
        "LEGACY:+CTYPE-RAWPK",
        "SUITEB128:+CTYPE-RAWPK:+VERS-TLS1.3",
        "SUITEB192:+CTYPE-RAWPK:+VERS-TLS1.3",
        "SECURE256:+CTYPE-RAWPK:+CIPHER-ALL:+GROUP-ALL:+SIGN-ALL",
        "NORMAL:+CTYPE-RAWPK:-AES-256-GCM:+AES-256-GCM:-GROUP-ALL:+GROUP-X448:+GROUP-SECP521R1",
        "NORMAL:+CTYPE-RAWPK:+AES-128-CCM-8:-GROUP-ALL:+GROUP-DH-ALL",
        "NORMAL:+CTYPE-RAWPK:-GROUP-ALL:+CURVE-ALL:-CURVE-SECP256R1:-SIGN-ALL:+SIGN-EdDSA-Ed448:+SIGN-ECDSA-SHA256",
        "NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+GROUP-X25519:+SIGN-EdDSA-Ed25519:+CTYPE-RAWPK",
    })
    void agreesWithGnutls(String priority) throws Exception {
        List<String> listing = gnutlsList(priority);
        TlsPolicy ours = GnuTlsPriority.parse(priority);

        assertThat(ours.cipherSuites()).as("TLS 1.3 suites").containsExactly(gnutlsSuites(listing));
        assertThat(ours.namedGroups()).as("groups; X25519 first unless the string names groups itself")
                .containsExactly(expectedGroupOrder(priority, codes(listing, "Groups: ", GROUPS)));
        assertThat(ours.signatureSchemes()).as("TLS 1.3 signature schemes")
                .containsExactly(codes(listing, "PK-signatures: ", TLS13_SIGNATURES));
    }

    private static List<String> gnutlsList(String priority) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(GNUTLS_CLI.toString(), "--priority", priority, "--list")
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("gnutls-cli accepts %s", priority).doesNotContain("rror");
            return out.lines().toList();
        } finally {
            p.destroyForcibly();
        }
    }

    private static int[] gnutlsSuites(List<String> listing) {
        List<Integer> suites = new ArrayList<>();
        for (String line : listing) {
            Matcher m = TLS13_SUITE.matcher(line);
            if (m.matches()) suites.add(Integer.parseInt(m.group(1) + m.group(2), 16));
        }
        return suites.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The listed names that have a TLS 1.3 code point, in order, without repeats. */
    private static int[] codes(List<String> listing, String prefix, Map<String, Integer> table) {
        String line = listing.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        LinkedHashSet<Integer> codes = new LinkedHashSet<>();
        for (String name : line.substring(prefix.length()).split(", ")) {
            Integer code = table.get(name.strip());
            if (code != null) codes.add(code);
        }
        return codes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** GnuTLS's order, with X25519 moved ahead of SECP256R1 when no element adds a group by name. */
    private static int[] expectedGroupOrder(String priority, int[] groups) {
        List<Integer> ordered = new ArrayList<>(Arrays.stream(groups).boxed().toList());
        boolean namesGroups = Pattern.compile("(?i)\\+(GROUP|CURVE)-(?!ALL\\b|EC-ALL\\b|DH-ALL\\b|GOST-ALL\\b)")
                .matcher(priority).find();
        int p256 = ordered.indexOf(23);
        int x25519 = ordered.indexOf(29);
        if (!namesGroups && p256 >= 0 && x25519 > p256) ordered.add(p256, ordered.remove(x25519));
        return ordered.stream().mapToInt(Integer::intValue).toArray();
    }
}
