package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The server's command line, read as the original's argparse reads it. */
class ServerCommandLineTest {
    private static ServerOptions parse(String... args) throws Exception {
        return ServerCommandLine.parse(args);
    }

    @Test
    void valuesComeSeparateOrAfterAnEqualsSignAndFlagsSetOnlyWhatTheyName() throws Exception {
        ServerOptions o = parse("--configdir", "/etc/x", "--statedir=/var/y", "--port", "1234", "--no-dbus",
                "--foreground", "--priority=NORMAL:+VERS-TLS1.3", "--debuglevel", "INFO");
        assertThat(o.configDir).isEqualTo(Path.of("/etc/x"));
        assertThat(o.stateDir).isEqualTo(Path.of("/var/y"));
        assertThat(o.port).isEqualTo(1234);
        assertThat(o.noDbus).isTrue();
        assertThat(o.foreground).isTrue();
        assertThat(o.priority).isEqualTo("NORMAL:+VERS-TLS1.3");
        assertThat(o.debugLevel).isEqualTo("INFO");
        // Not given: null, so mandos.conf decides.
        assertThat(o.noZeroconf).isNull();
        assertThat(o.debug).isNull();
        assertThat(o.address).isNull();
    }

    @Test
    void shortOptionsTakeTheirValueAttachedOrNext() throws Exception {
        assertThat(parse("-p", "80").port).isEqualTo(80);
        assertThat(parse("-p80").port).isEqualTo(80);
        assertThat(parse("-p=80").port).isEqualTo(80);
        assertThat(parse("-a", "::1", "-i", "eth0").address).isEqualTo("::1");
        assertThat(parse("-i", "eth0").interfaceName).isEqualTo("eth0");
        ServerOptions hv = parse("-hv");
        assertThat(hv.help).isTrue();
        assertThat(hv.version).isTrue();
    }

    @Test
    void aLaterOptionOverridesAnEarlierOne() throws Exception {
        assertThat(parse("--port", "1", "--port=2", "-p", "3").port).isEqualTo(3);
        assertThat(parse("--address", "::1", "--address", "127.0.0.1").address).isEqualTo("127.0.0.1");
    }

    @Test
    void mistakesAreUsageErrorsNamingTheOption() {
        assertThatThrownBy(() -> parse("--frobnicate")).isInstanceOf(ServerCommandLine.UsageException.class)
                .hasMessage("unrecognized arguments: --frobnicate");
        assertThatThrownBy(() -> parse("--port", "eighty")).hasMessage("argument -p/--port: invalid int value: 'eighty'");
        assertThatThrownBy(() -> parse("--port")).hasMessage("argument -p/--port: expected one argument");
        assertThatThrownBy(() -> parse("--configdir", "--foreground"))
                .hasMessage("argument --configdir: expected one argument");
        assertThatThrownBy(() -> parse("--foreground=yes")).hasMessageContaining("--foreground");
        assertThatThrownBy(() -> parse("extra")).hasMessage("unrecognized arguments: extra");
        assertThatThrownBy(() -> parse("--", "--port", "1")).hasMessage("unrecognized arguments: --port 1");
        assertThatThrownBy(() -> parse("-x")).hasMessage("unrecognized arguments: -x");
        assertThatThrownBy(() -> parse("--no-")).hasMessageStartingWith("ambiguous option: --no- could match --no-dbus");
        assertThatThrownBy(() -> parse("--debug-level", "INFO")).hasMessage("unrecognized arguments: --debug-level");
    }

    @Test
    void aUniquePrefixOfALongOptionIsThatOptionAsInArgparse() throws Exception {
        assertThat(parse("--fore").foreground).isTrue();
        assertThat(parse("--config=/etc/x").configDir).isEqualTo(Path.of("/etc/x"));
        assertThat(parse("--statedi", "/s").stateDir).isEqualTo(Path.of("/s"));
        // An exact name wins over the longer names it is a prefix of.
        assertThat(parse("--debug").debug).isTrue();
        assertThat(parse("--debug").debugLevel).isNull();
        assertThat(parse("--debugl", "INFO").debugLevel).isEqualTo("INFO");
    }

    @Test
    void everyOptionOfTheOriginalIsKnown() throws Exception {
        // mandos 1.8.16's options (spec §1), each given once.
        ServerOptions o = parse("-i", "eth0", "-a", "::1", "-p", "1", "--check", "--debug", "--debuglevel", "DEBUG",
                "--priority", "P", "--servicename", "S", "--configdir", "/c", "--no-dbus", "--no-ipv6",
                "--no-restore", "--socket", "3", "--statedir", "/s", "--foreground", "--no-zeroconf");
        assertThat(o.check).isTrue();
        assertThat(o.debug).isTrue();
        assertThat(o.serviceName).isEqualTo("S");
        assertThat(o.noIpv6).isTrue();
        assertThat(o.noRestore).isTrue();
        assertThat(o.socket).isEqualTo(3);
        assertThat(o.noZeroconf).isTrue();
    }

    @Test
    void theHelpListsEveryShownOptionAndNotTheInternalOne() {
        String help = ServerCommandLine.usage("mandos");
        assertThat(help).startsWith("usage: mandos ").contains(ServerOptions.DESCRIPTION)
                .contains("--configdir DIR").contains("-p PORT, --port PORT").contains("%PROFILE_ULTRA")
                .contains("--metrics-address HOST:PORT").doesNotContain("--detached-child");
        for (ServerOptions.Spec spec : ServerOptions.OPTIONS) {
            if (spec.help() != null) assertThat(help).contains(spec.names().get(spec.names().size() - 1));
        }
        // Each option line ends, or has two spaces before its help: the man page's generator splits there.
        assertThat(help.lines().filter(l -> l.startsWith("  -"))).allSatisfy(l -> {
            for (String form : l.strip().split(" {2,}")[0].split(", ")) {
                assertThat(form).as(l).matches("--?[a-z0-9-]+( [A-Z:]+)?");
            }
        });
        assertThat(help).contains("  -i IF, --interface IF\n                        Bind to interface IF");
        // Lines fit 80 columns, but for a single word longer than that (the default priority string).
        assertThat(help.lines()).allSatisfy(l -> assertThat(l.length() <= 80 || !l.strip().contains(" ")).as(l).isTrue());
    }
}
