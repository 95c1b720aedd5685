package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SystemBusTest {

    @Test
    void theEnvironmentVariableWins() {
        assertThat(SystemBus.address(Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/tmp/bus"), p -> true))
                .contains("unix:path=/tmp/bus");
    }

    @Test
    void fallsBackToTheWellKnownSocketOnlyIfItExists() {
        assertThat(SystemBus.address(Map.of(), p -> p.equals(Path.of("/run/dbus/system_bus_socket"))))
                .contains("unix:path=/run/dbus/system_bus_socket");
        assertThat(SystemBus.address(Map.of(), p -> false)).isEmpty();
        assertThat(SystemBus.address(Map.of("DBUS_SYSTEM_BUS_ADDRESS", " "), p -> false)).isEmpty();
    }

    @Test
    void findsTheSocketFileOfAUnixPathAddress() {
        assertThat(SystemBus.socketPath("unix:path=/run/x/bus,guid=1234")).contains(Path.of("/run/x/bus"));
        assertThat(SystemBus.socketPath("unix:guid=1,path=/a;tcp:host=localhost,port=1"))
                .contains(Path.of("/a"));
        assertThat(SystemBus.socketPath("unix:abstract=/tmp/dbus-x")).isEmpty();
        assertThat(SystemBus.socketPath("tcp:host=localhost,port=1")).isEmpty();
    }

    @Test
    void avahiIsUnreachableAtOnceWhenTheBusSocketIsMissing() {
        long start = System.nanoTime();
        assertThat(SystemBus.avahiReachable(Optional.of("unix:path=/nonexistent/bus"))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(SystemBus.avahiReachable(Optional.empty())).isFalse();
    }
}
