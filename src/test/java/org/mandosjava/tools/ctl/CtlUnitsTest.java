package org.mandosjava.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server-independent parts of mandos-ctl, against the original's doctests and observed output. */
class CtlUnitsTest {
    @Test
    void rfc3339DurationsAsTheOriginal() {
        assertThat(CtlDurations.rfc3339("P7D")).isEqualTo(Duration.ofDays(7));
        assertThat(CtlDurations.rfc3339("PT60S")).isEqualTo(Duration.ofSeconds(60));
        assertThat(CtlDurations.rfc3339("PT60M")).isEqualTo(Duration.ofHours(1));
        assertThat(CtlDurations.rfc3339("P60M")).isEqualTo(Duration.ofDays(1680));
        assertThat(CtlDurations.rfc3339("PT24H")).isEqualTo(Duration.ofDays(1));
        assertThat(CtlDurations.rfc3339("P1W")).isEqualTo(Duration.ofDays(7));
        assertThat(CtlDurations.rfc3339("PT5M30S")).isEqualTo(Duration.ofSeconds(330));
        assertThat(CtlDurations.rfc3339("P1DT3M20S")).isEqualTo(Duration.ofSeconds(86400 + 200));
        for (String bad : List.of("", "1D", "PT1S2M", "P1H2S", "P1D2W", "P2W2H")) {
            assertThatThrownBy(() -> CtlDurations.rfc3339(bad)).hasMessage("Invalid RFC 3339 duration: \"" + bad + "\"");
        }
    }

    @Test
    void keyExpiresIsOursHiddenFromHelpAndCheckedHere() throws Exception {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CtlArguments a = CtlArguments.parse(new String[] {"--key-expires=2027-06-30", "foo"}, err);
        assertThat(a.commands).containsExactly(new CtlCommand.SetProperty("KeyExpires", "2027-06-30T00:00:00Z"));
        CtlArguments b = CtlArguments.parse(new String[] {"--key-expires", "2027-06-30T02:00:00+02:00", "--all"}, err);
        assertThat(b.commands).containsExactly(new CtlCommand.SetProperty("KeyExpires", "2027-06-30T00:00:00Z"));
        assertThatThrownBy(() -> CtlArguments.parse(new String[] {"--key-expires=soon", "foo"}, err))
                .isInstanceOf(CtlArguments.UsageException.class).hasMessageStartingWith("argument --key-expires: not an RFC 3339");
        assertThat(CtlArguments.HELP).doesNotContain("key");
    }

    @Test
    void theVerboseTableShowsKeyExpiresOnlyWhenAClientHasOne() {
        Map<String, Object> plain = new LinkedHashMap<>(Map.of("Name", "a", "KeyExpires", ""));
        Map<String, Object> other = new LinkedHashMap<>(Map.of("Name", "b")); // from a server without it
        assertThat(ClientListing.verboseKeys(List.of(plain, other))).isEqualTo(ClientListing.ALL_KEYS);
        Map<String, Object> expiring = new LinkedHashMap<>(Map.of("Name", "c", "KeyExpires", "2027-06-30T00:00:00.000000"));
        List<String> keys = ClientListing.verboseKeys(List.of(plain, expiring));
        assertThat(keys).startsWith(ClientListing.ALL_KEYS.toArray(String[]::new)).endsWith("KeyExpires");
        String table = ClientListing.table(List.of(other, expiring), List.of("Name", "KeyExpires"));
        assertThat(table).isEqualTo("Name Key Expires" + " ".repeat(15) + "\nb" + " ".repeat(30) + "\n"
                + "c    2027-06-30T00:00:00.000000");
    }

    @Test
    void legacyIntervalsAsTheOriginal() {
        assertThat(CtlDurations.legacy("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(CtlDurations.legacy("5m 30s")).isEqualTo(Duration.ofSeconds(330));
        assertThat(CtlDurations.legacy("")).isEqualTo(Duration.ZERO);
        assertThat(CtlDurations.legacy("2dxy7zz11y3m5m")).isEqualTo(Duration.ofDays(2).plusSeconds(480).plusMillis(18));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(CtlDurations.millis("90s", new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(90000);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("Invalid RFC 3339 duration: \"90s\" - Parsing as pre-1.6.1 interval instead\n");
    }

    @Test
    void tableAsObserved() {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("Name", "vm");
        vm.put("Enabled", true);
        vm.put("Timeout", 300000L);
        vm.put("LastCheckedOK", "2026-11-26T13:38:15.963135");
        assertThat(ClientListing.table(List.of(vm), ClientListing.DEFAULT_KEYS)).isEqualTo(
                "Name Enabled Timeout  Last Successful Check     \n"
                + "vm   Yes     00:05:00 2026-11-26T13:38:15.963135");
        assertThat(ClientListing.table(List.of(), ClientListing.DEFAULT_KEYS))
                .isEqualTo("Name Enabled Timeout Last Successful Check");
        assertThat(ClientListing.durationText(93785000L)).isEqualTo("1T02:03:05");
    }

    @Test
    void jsonAsPython() {
        assertThat(ClientListing.json(List.of())).isEqualTo("{}");
        assertThat(ClientListing.jsonString("a\"b\\c\nä\u007f")).isEqualTo("\"a\\\"b\\\\c\\n\\u00e4\\u007f\"");
    }

    @Test
    void pythonReprOfNames() {
        assertThat(PyRepr.of("vm")).isEqualTo("'vm'");
        assertThat(PyRepr.of("it's")).isEqualTo("\"it's\"");
        assertThat(PyRepr.of("a\tb")).isEqualTo("'a\\tb'");
    }

    @Test
    void argumentRules() throws Exception {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CtlArguments a = CtlArguments.parse(new String[] {"-r", "-D", "vm"}, err);
        assertThat(a.effectiveCommands()).containsExactly(new CtlCommand.Approve(false), new CtlCommand.Remove());
        assertThat(CtlArguments.parse(new String[] {"-tPT1M", "--host=h", "vm"}, err).commands).containsExactly(
                new CtlCommand.SetProperty("Timeout", 60000L), new CtlCommand.SetProperty("Host", "h"));
        assertThat(CtlArguments.parse(new String[] {}, err).effectiveCommands())
                .containsExactly(new CtlCommand.PrintTable(false));
        assertThatThrownBy(() -> CtlArguments.parse(new String[] {"-e"}, err))
                .hasMessage("Options require clients names or --all.");
        assertThatThrownBy(() -> CtlArguments.parse(new String[] {"-e", "-d", "x"}, err))
                .hasMessage("argument -d/--disable: not allowed with argument -e/--enable");
        assertThatThrownBy(() -> CtlArguments.parse(new String[] {"--ap", "x"}, err))
                .hasMessageStartingWith("ambiguous option: --ap could match --approve-by-default, --approval-delay");
    }
}
