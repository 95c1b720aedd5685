package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-phase deadlines on a manual clock: absolute from the accept, whatever the peer does. */
class ConnectionDeadlinesTest {
    final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    final AtomicInteger cuts = new AtomicInteger();
    final ConnectionLimits limits = new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(60), Duration.ofSeconds(5), 16);
    final ConnectionDeadlines deadlines = new ConnectionDeadlines(clock, limits, cuts::incrementAndGet);

    @Test
    void noVersionLineWithinItsLimitCutsTheConnectionHoweverLongItTrickles() {
        // A byte every 5 s would keep a per-read timeout happy forever; the deadline does not care.
        for (int i = 0; i < 3; i++) clock.advance(Duration.ofSeconds(3));
        assertThat(cuts).hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cuts).hasValue(1);
        assertThat(deadlines.expired()).isEqualTo(ConnectionDeadlines.Phase.VERSION_LINE);
        clock.advance(Duration.ofMinutes(5));
        assertThat(cuts).as("cut once").hasValue(1);
    }

    @Test
    void theHandshakeDeadlineCountsFromTheAcceptNotFromTheVersionLine() {
        clock.advance(Duration.ofSeconds(9));
        deadlines.versionLineRead();
        clock.advance(Duration.ofSeconds(10));
        assertThat(cuts).hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(deadlines.expired()).isEqualTo(ConnectionDeadlines.Phase.HANDSHAKE);
        assertThat(cuts).hasValue(1);
    }

    @Test
    void afterTheHandshakeTheConnectionLimitStillHolds() {
        deadlines.versionLineRead();
        clock.advance(Duration.ofSeconds(19));
        deadlines.handshakeDone();
        clock.advance(Duration.ofSeconds(40));
        assertThat(cuts).hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(deadlines.expired()).isEqualTo(ConnectionDeadlines.Phase.CONNECTION);
    }

    @Test
    void anApprovalWaitIsNotCutAndTheRestGetsAFullLimit() {
        deadlines.handshakeDone();
        deadlines.approvalWaitStarted();
        clock.advance(Duration.ofMinutes(10));
        assertThat(cuts).hasValue(0);
        deadlines.approvalWaitEnded();
        clock.advance(Duration.ofSeconds(59));
        assertThat(cuts).hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cuts).hasValue(1);
    }

    @Test
    void closingCancelsEveryDeadline() {
        deadlines.close();
        clock.advance(Duration.ofMinutes(10));
        assertThat(cuts).hasValue(0);
        assertThat(deadlines.expired()).isNull();
    }

    @Test
    void aPeerThatDoesNotAnswerOurCloseIsCutAfterTheByeLimit() {
        deadlines.handshakeDone();
        clock.advance(Duration.ofSeconds(30));
        deadlines.byeStarted();
        clock.advance(Duration.ofSeconds(4));
        assertThat(cuts).hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cuts).hasValue(1);
        assertThat(deadlines.expired()).isEqualTo(ConnectionDeadlines.Phase.BYE);
        assertThat(deadlines.limit(ConnectionDeadlines.Phase.BYE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theByeDeadlineIsCancelledWithTheOthers() {
        deadlines.handshakeDone();
        deadlines.byeStarted();
        deadlines.close();
        clock.advance(Duration.ofMinutes(10));
        assertThat(cuts).hasValue(0);
    }

    @Test
    void aConnectionAlreadyCutGetsNoByeDeadline() {
        clock.advance(Duration.ofSeconds(10));
        assertThat(deadlines.expired()).isEqualTo(ConnectionDeadlines.Phase.VERSION_LINE);
        deadlines.byeStarted();
        clock.advance(Duration.ofMinutes(10));
        assertThat(cuts).hasValue(1);
        assertThat(deadlines.expired()).isEqualTo(ConnectionDeadlines.Phase.VERSION_LINE);
    }
}
