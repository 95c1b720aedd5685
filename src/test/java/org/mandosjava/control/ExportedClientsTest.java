package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mandosjava.server.ClientStatus;

class ExportedClientsTest {
    private static final Instant T0 = Instant.parse("2026-12-03T18:00:00Z");

    private static ClientStatus status(String name, Instant expires, Duration timeout) {
        return new ClientStatus(name, "A".repeat(64), "B".repeat(40), "", "fping -q -- %%(host)s", T0, true, T0,
                expires, null, -2, null, null, false, true, Duration.ZERO, Duration.ofSeconds(1), timeout,
                Duration.ofMinutes(15), Duration.ofMinutes(2), false, null);
    }

    @Test
    void onlyValuesThatDifferFromTheLastAnnouncedAreChanges() {
        ExportedClients exported = new ExportedClients();
        assertThat(exported.export(status("alpha", null, Duration.ofMinutes(5)))).isTrue();
        assertThat(exported.export(status("alpha", null, Duration.ofMinutes(5)))).as("exported once").isFalse();

        ExportedClients.Changes same = exported.changes(status("alpha", null, Duration.ofMinutes(5)),
                Set.of("Timeout", "Expires"));
        assertThat(same.path()).isEqualTo("/clients/alpha");
        assertThat(same.changed()).isEmpty();
        assertThat(same.secret()).isFalse();

        ExportedClients.Changes longer = exported.changes(status("alpha", null, Duration.ofMinutes(6)),
                Set.of("Timeout", "Secret"));
        assertThat(longer.changed()).containsExactly(ClientProperty.TIMEOUT);
        assertThat(longer.secret()).isTrue();
        // Recorded as announced: the same value again is no change, and a value not named is not looked at.
        assertThat(exported.changes(status("alpha", T0, Duration.ofMinutes(6)), Set.of("Timeout")).changed()).isEmpty();
        assertThat(exported.changes(status("ghost", null, Duration.ofMinutes(6)), Set.of("Timeout"))).isNull();
    }

    @Test
    void anAnnouncementMadeLaterCarriesTheValuesChangesAreComparedWith() {
        ExportedClients exported = new ExportedClients();
        exported.export(status("alpha", null, Duration.ofMinutes(5)));
        // The start arms the timers after exporting; the announcement sent after that shows Expires.
        ClientStatus started = status("alpha", T0.plusSeconds(300), Duration.ofMinutes(5));
        exported.announced(started);
        assertThat(exported.changes(started, Set.of("Expires")).changed()).isEmpty();
        assertThat(exported.changes(status("alpha", T0.plusSeconds(900), Duration.ofMinutes(5)), Set.of("Expires"))
                .changed()).containsExactly(ClientProperty.EXPIRES);

        exported.announced(status("withdrawn meanwhile", T0, Duration.ofMinutes(5)));
        assertThat(exported.count()).as("an announcement does not export").isEqualTo(1);
    }
}
