package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.freedesktop.dbus.types.UInt64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.Durations;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;
import org.mandosjava.server.Persistence;
import org.mandosjava.server.SystemScheduler;

/**
 * A duration property set over D-Bus out of bounds (negative, or beyond {@link Durations#MAX_SETTING},
 * also a UInt64 beyond a long) is InvalidArgs, with nothing changed and nothing saved.
 */
class DurationPropertyBoundsTest {
    private static final List<ClientProperty> DURATIONS = List.of(ClientProperty.TIMEOUT, ClientProperty.INTERVAL,
            ClientProperty.EXTENDED_TIMEOUT, ClientProperty.APPROVAL_DELAY, ClientProperty.APPROVAL_DURATION);

    private final AtomicInteger saves = new AtomicInteger();
    private SystemScheduler timers;
    private ClientRegistry registry;

    @BeforeEach
    void start() {
        ClientConfig a = new ClientConfig("a", "A".repeat(64), "", new byte[] {1}, "", "true", Duration.ofHours(1),
                Duration.ofMinutes(15), Duration.ofDays(20), Duration.ofSeconds(30), Duration.ofSeconds(1), false,
                true, Map.of("name", "a"), Path.of("test"), 1);
        timers = new SystemScheduler();
        registry = new ClientRegistry(List.of(a), timers, new CheckerRunner());
        registry.setPersistence(new Persistence() {
            @Override public void awaitDurable() {
                saves.incrementAndGet();
            }

            @Override public void markUrgent() {
                saves.incrementAndGet();
            }

            @Override public void markDirty() {
                saves.incrementAndGet();
            }
        });
        registry.start();
        saves.set(0);
    }

    @AfterEach
    void stop() {
        registry.close();
        timers.close();
    }

    private ClientStatus status() {
        return registry.status("a").orElseThrow();
    }

    @Test
    void outOfBoundsIsInvalidArgsAndChangesAndSavesNothing() {
        ClientStatus before = status();
        List<Object> values = List.of(new UInt64(BigInteger.TWO.pow(64).subtract(BigInteger.ONE)),
                new UInt64(Durations.MAX_SETTING.toMillis() + 1), Long.MAX_VALUE, 31_449_600_000_000L, -1L, -1);
        for (ClientProperty p : DURATIONS) {
            for (Object v : values) {
                DBusError e = catchThrowableOfType(DBusError.class, () -> p.set(registry, "a", v));
                assertThat(e).as("%s = %s", p.dbusName, v).isNotNull();
                assertThat(e.name()).isEqualTo(DBusNames.ERROR_INVALID_ARGS);
                assertThat(e.getMessage()).startsWith(p.dbusName + ": a duration ");
            }
        }
        // Expires is now plus the time left on the monotonic clock: equal up to the clocks' read-out.
        assertThat(status()).usingRecursiveComparison().ignoringFields("expires").isEqualTo(before);
        assertThat(Duration.between(before.expires(), status().expires()).abs()).isLessThan(Duration.ofSeconds(1));
        assertThat(saves.get()).as("saves").isZero();
    }

    @Test
    void theMaximumIsAccepted() throws Exception {
        ClientProperty.TIMEOUT.set(registry, "a", new UInt64(Durations.MAX_SETTING.toMillis()));
        assertThat(status().timeout()).isEqualTo(Duration.ofDays(49));
        assertThat(status().expires()).isAfter(java.time.Instant.now().plus(Duration.ofDays(48)));
        assertThat(saves.get()).as("saved").isEqualTo(1);
    }
}
