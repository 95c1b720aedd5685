package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZeroconfSettingsTest {

    @Test
    void acceptsTheDefaults() {
        ZeroconfSettings settings = new ZeroconfSettings("Mandos", 47931, "", true,
                ZeroconfSettings.Mode.AUTO);
        assertThat(settings.allInterfaces()).isTrue();
        assertThat(new ZeroconfSettings("Mandos", 1, "eth0", false, ZeroconfSettings.Mode.AVAHI)
                .allInterfaces()).isFalse();
    }

    @Test
    void rejectsAnEmptyName() {
        assertThatThrownBy(() -> new ZeroconfSettings("", 1, "", true, ZeroconfSettings.Mode.AUTO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void limitsTheNameToOneDnsLabelCountedInUtf8Bytes() {
        String sixtyThreeBytes = "é".repeat(31) + "x";
        assertThat(new ZeroconfSettings(sixtyThreeBytes, 1, "", true, ZeroconfSettings.Mode.AUTO)
                .serviceName()).isEqualTo(sixtyThreeBytes);
        assertThatThrownBy(() -> new ZeroconfSettings("é".repeat(32), 1, "", true,
                ZeroconfSettings.Mode.AUTO)).hasMessageContaining("63 bytes");
    }

    @Test
    void rejectsPortsOutsideTcpRange() {
        assertThatThrownBy(() -> new ZeroconfSettings("Mandos", 0, "", true, ZeroconfSettings.Mode.AUTO))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new ZeroconfSettings("Mandos", 65536, "", true,
                ZeroconfSettings.Mode.AUTO)).hasMessageContaining("port");
    }

    @Test
    void parsesModesIgnoringCase() {
        assertThat(ZeroconfSettings.Mode.parse("Avahi")).isEqualTo(ZeroconfSettings.Mode.AVAHI);
        assertThat(ZeroconfSettings.Mode.parse(" embedded ")).isEqualTo(ZeroconfSettings.Mode.EMBEDDED);
        assertThatThrownBy(() -> ZeroconfSettings.Mode.parse("bonjour"))
                .hasMessageContaining("auto, avahi or embedded");
    }
}
