package org.mandosjava.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.api.Test;
import org.mandosjava.protocol.ProtocolException;
import org.mandosjava.protocol.fuzz.Exchange.Outcome;
import org.mandosjava.protocol.fuzz.Exchange.Side;

/** The fuzzer's oracle and harness catch what they exist to catch. */
class OracleTest {
    @Test
    void documentedExceptionsPassAndOthersAreFindings() {
        assertThat(Oracle.violation(null)).isNull();
        assertThat(Oracle.violation(new ProtocolException("bad line"))).isNull();
        assertThat(Oracle.violation(new EOFException())).isNull();
        assertThat(Oracle.violation(new SocketTimeoutException())).isNull();
        assertThat(Oracle.violation(new TlsFatalAlert(AlertDescription.decode_error))).isNull();

        assertThat(Oracle.violation(new IllegalStateException("parser bug"))).contains("undocumented");
        assertThat(Oracle.violation(new StackOverflowError())).contains("undocumented");
        assertThat(Oracle.violation(new TlsFatalAlert(AlertDescription.internal_error,
                new ArrayIndexOutOfBoundsException(3)))).contains("internal_error hiding");
        // internal_error for our own reasons (not a hidden crash) is allowed.
        assertThat(Oracle.violation(new TlsFatalAlert(AlertDescription.internal_error, "too long"))).isNull();
    }

    @Test
    void aPeerThatStallsEndsInTheReadTimeoutNotAHang() throws IOException {
        Exchange exchange = new Exchange(new byte[10]);
        Outcome outcome = exchange.replay(Side.SERVER, "1\r\n".getBytes(), Mutation.Then.STALL, false);

        assertThat(outcome.hung()).isFalse();
        assertThat(outcome.thrown()).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void theHonestExchangeCompletesAndMutationsChangeTheStream() throws IOException {
        Campaign campaign = new Campaign(new Exchange(new byte[10]), 1);
        List<byte[]> client = campaign.clientStream();

        assertThat(new String(client.get(0))).isEqualTo("1\r\n");
        assertThat(client.get(1)[0]).as("ServerHello record").isEqualTo((byte) Units.HANDSHAKE);
        Random random = new Random(7);
        int changed = 0;
        for (int i = 0; i < 100; i++) {
            Mutation m = Mutation.of(client.get(1), false, List.of(), random);
            if (m.then() != Mutation.Then.CONTINUE || m.replacement().size() != 1
                    || !java.util.Arrays.equals(m.replacement().get(0), client.get(1))) {
                changed++;
            }
        }
        assertThat(changed).isGreaterThan(90);
    }
}
