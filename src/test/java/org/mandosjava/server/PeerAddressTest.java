package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerAddressTest {
    @ParameterizedTest
    @CsvSource({
        "::1, ::1",
        "::, ::",
        "fe80::1, fe80::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:0:0:0:0:0:0, 1::",
        "0:0:1:0:0:0:1:0, 0:0:1::1:0",
    })
    void ipv6IsCompressedAsRfc5952(String in, String expected) throws Exception {
        assertThat(PeerAddress.format(InetAddress.getByName(in), true)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"true, ::ffff:192.0.2.3", "false, 192.0.2.3"})
    void ipv4PeersAreShownMappedOnDualStackSockets(boolean dualStack, String expected) throws Exception {
        assertThat(PeerAddress.format(InetAddress.getByName("192.0.2.3"), dualStack)).isEqualTo(expected);
    }
}
