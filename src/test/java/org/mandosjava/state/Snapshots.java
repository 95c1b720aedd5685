package org.mandosjava.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Client snapshots built in code for the state tests. */
final class Snapshots {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00.123456Z");

    private Snapshots() {}

    /** Every field set, with characters the file format must escape. */
    static ClientSnapshot full(String name) {
        return new ClientSnapshot(name, true, T0, T0.plusSeconds(1), T0.plusSeconds(300), T0.plusMillis(2500),
                T0.plusNanos(789_000), 0, 9, Duration.ofMinutes(7), Duration.ofMinutes(16),
                Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMillis(1500), false,
                "fping -q -- %(host)s\t\\n \"x\"\nsecond line\r", "höst\\name",
                ("runtime secret of " + name).getBytes(StandardCharsets.UTF_8), false, T0.plusSeconds(60));
    }

    /** Nullable fields null, as after a fresh start. */
    static ClientSnapshot sparse(String name, boolean enabled) {
        return new ClientSnapshot(name, enabled, T0, null, null, null, null, ClientSnapshot.CHECKER_NEVER_RAN, null,
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, "true", "", null);
    }
}
