package org.mandosjava.tools.keygen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientsConfSectionTest {
    @Test
    void rendersLikeMandosKeygen1816() {
        byte[] secret = new byte[60]; // 80 base64 characters: one full line and one of 16
        ClientsConfSection section = new ClientsConfSection("vm",
                Optional.of("E912FDD27D3DBECA166C142D40A8FEDBE81E066EC7639825E2BD4B388E856753"),
                "02ac103c7f19c2d4a9147b02834e0aebf50fba00", secret, Optional.empty(),
                Optional.of(new SshHostKeyScanner.HostKey("ed25519", "ssh-ed25519 AAAAC3Nza")));

        assertThat(section.render()).isEqualTo("""
                [vm]
                host = vm
                key_id = e912fdd27d3dbeca166c142d40a8fedbe81e066ec7639825e2bd4b388e856753
                fingerprint = 02AC103C7F19C2D4A9147B02834E0AEBF50FBA00
                secret =
                    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                    AAAAAAAAAAAAAAAA
                checker = ssh-keyscan -t ed25519 %%(host)s 2>/dev/null | grep --fixed-strings --line-regexp --quiet --regexp=%%(host)s" %(ssh_fingerprint)s"
                ssh_fingerprint = ssh-ed25519 AAAAC3Nza
                """);
    }

    @Test
    void secfileReplacesSecretAndKeyIdIsOptional() {
        ClientsConfSection section = new ClientsConfSection("h", Optional.empty(), "AB", new byte[3],
                Optional.of("/etc/mandos/h.secret"), Optional.empty());

        assertThat(section.render()).isEqualTo("[h]\nhost = h\nfingerprint = AB\nsecfile = /etc/mandos/h.secret\n");
    }

    @Test
    void keyExpiresFollowsTheFingerprintInUtc() {
        ClientsConfSection section = new ClientsConfSection("h", Optional.empty(), "AB", new byte[3],
                Optional.of("/etc/mandos/h.secret"), Optional.empty(),
                Optional.of(java.time.Instant.parse("2027-06-30T12:34:56.789Z")));

        assertThat(section.render()).isEqualTo("[h]\nhost = h\nfingerprint = AB\nkey_expires = 2027-06-30T12:34:56Z\n"
                + "secfile = /etc/mandos/h.secret\n");
    }

    @Test
    void expiryInGnupgSyntax() {
        long now = 1_700_000_000L;
        assertThat(KeyExpiry.parse("0", now)).isEqualTo(Duration.ZERO);
        assertThat(KeyExpiry.parse("10", now)).isEqualTo(Duration.ofDays(10));
        assertThat(KeyExpiry.parse("2w", now)).isEqualTo(Duration.ofDays(14));
        assertThat(KeyExpiry.parse("1y", now)).isEqualTo(Duration.ofDays(365));
        assertThat(KeyExpiry.parse("2023-11-15", now)).isEqualTo(Duration.ofSeconds(1_700_006_400L - now));
    }
}
