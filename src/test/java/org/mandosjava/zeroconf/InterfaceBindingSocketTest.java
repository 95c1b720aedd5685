package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@link InterfaceBinding#admits} on the local address of really accepted sockets (loopback only). */
class InterfaceBindingSocketTest {

    private static Optional<Link> anotherInterface() throws Exception {
        return Link.system().stream().filter(l -> !l.loopback() && !l.addresses().isEmpty()).findFirst();
    }

    private static void assertAdmission(String connectTo, boolean ipv6) throws Exception {
        InterfaceBinding viaLo = InterfaceBinding.plan("lo", "", ipv6, 0);
        assertThat(viaLo.filtersConnections()).isTrue();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(viaLo.bindAddress());
            try (Socket client = new Socket(InetAddress.getByName(connectTo), server.getLocalPort());
                    Socket accepted = server.accept()) {
                InetAddress local = accepted.getLocalAddress();
                assertThat(viaLo.admits(local)).as("%s via lo", local).isTrue();
                Optional<Link> other = anotherInterface();
                assumeTrue(other.isPresent(), "no non-loopback interface with an address");
                assertThat(InterfaceBinding.plan(other.get().name(), "", ipv6, 0).admits(local))
                        .as("%s via %s", local, other.get().name()).isFalse();
            }
        }
    }

    @Test
    void anIpv6ConnectionToLoopbackIsAdmittedForLoOnly() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        assumeTrue(Link.named("lo").orElseThrow().addresses().contains(loopback6), "no ::1 on lo");
        assertAdmission("::1", true);
    }

    @Test
    void anIpv4ConnectionOnTheDualStackSocketIsAdmittedForLoOnly() throws Exception {
        assertAdmission("127.0.0.1", true);
    }

    @Test
    void anIpv4OnlySocketAdmitsTheSame() throws Exception {
        assertAdmission("127.0.0.1", false);
    }
}
