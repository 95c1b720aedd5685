package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mandosjava.testing.ManagedProcess;

/**
 * Zeroconf end to end: {@code bin/mandos} in one network namespace, the real
 * {@code mandos-client} in another, joined by a veth pair with only fe80:: addresses; the client is
 * given no address ({@code --connect}) and must find the server by Zeroconf and print the password.
 */
class ServerZeroconfIT extends NamespaceTest {
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration UNLOCK = Duration.ofSeconds(90);
    static final int PORT = 47021;

    ManagedProcess server(String label, Map<String, String> env, int port, String... extra) throws Exception {
        return ourServer(label, env, port, clientsConfSection, extra);
    }

    /**
     * Runs the client until it exits by itself, and checks it printed the password (and only that).
     * With several servers it may print it once per server: mandos-client 1.8.16 can be given it by
     * a second server it resolved in the same turn of its event loop, before it stops, and writes
     * each copy out.
     */
    ManagedProcess assertClientUnlocks(ManagedProcess... servers) throws Exception {
        ManagedProcess client = client();
        boolean exited = client.awaitExit(UNLOCK).isPresent();
        StringBuilder context = new StringBuilder(client.describe());
        for (ManagedProcess server : servers) {
            context.append("\n").append(server.describe());
        }
        assertThat(exited).as("client still running after %s:\n%s", UNLOCK, context).isTrue();
        String printed = client.stdoutText();
        int copies = printed.split(Pattern.quote(PASSWORD), -1).length - 1;
        assertThat(printed).as(client.describe()).isEqualTo(PASSWORD.repeat(Math.max(1, copies)));
        assertThat(copies).as(client.describe()).isBetween(1, servers.length);
        assertThat(Arrays.stream(servers).filter(s -> s.stderrText().contains("Sending secret to")).count())
                .as("servers that sent the copies:%s", context).isGreaterThanOrEqualTo(copies);
        assertThat(client.stderrText()).contains("Mandos server \"");
        return client;
    }

    @Test
    void clientFindsServerAnnouncedThroughAvahiDaemon() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess server = server("avahi", avahi.environment(), PORT);
        assertThat(server.awaitStderr(Pattern.compile("Zeroconf service 'Mandos' established"), STARTUP))
                .as(server.describe()).isTrue();
        assertThat(server.stderrText()).contains("Zeroconf: using avahi-daemon over D-Bus");

        assertClientUnlocks(server);
        assertThat(server.stderrText()).contains("Sending secret to zeroconf-client");
    }

    @Test
    void clientFindsServerWithEmbeddedResponderWhenNoAvahiDaemonRuns() throws Exception {
        ManagedProcess server = server("embedded", noSystemBus(), PORT);
        assertThat(server.awaitStderr(Pattern.compile("Announcing Zeroconf service 'Mandos'.*embedded mDNS"),
                STARTUP)).as(server.describe()).isTrue();
        assertThat(server.stderrText()).contains("Zeroconf: using embedded mDNS responder");

        assertClientUnlocks(server);
        assertThat(server.stderrText()).contains("Sending secret to zeroconf-client");
    }

    @Test
    void secondServerWithTheSameNameIsRenamedAndBothAreVisible() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess first = server("first", avahi.environment(), PORT);
        assertThat(first.awaitStderr(Pattern.compile("Zeroconf service 'Mandos' established"), STARTUP))
                .as(first.describe()).isTrue();
        ManagedProcess second = server("second", avahi.environment(), PORT + 1);
        assertThat(second.awaitStderr(Pattern.compile("Zeroconf service 'Mandos #2' established"), STARTUP))
                .as(second.describe()).isTrue();
        assertThat(second.stderrText())
                .containsPattern("WARNING: Zeroconf service name 'Mandos' is taken; changing it to 'Mandos #2'");
        assertThat(first.stderrText()).doesNotContain("is taken");
        // As the original's syslog prefix, our log lines then name the new service.
        assertThat(second.stderrText()).containsPattern("mandos \\(Mandos #2\\) \\[\\d+\\]: INFO: Zeroconf service 'Mandos #2'");

        List<String> browsed = AnnouncerIT.browseUntil(avahi, lines -> lines.size() >= 2);
        assertThat(browsed).as(avahi.describe())
                .anySatisfy(line -> assertThat(line).contains(";IPv6;Mandos;_mandos._tcp;local;")
                        .endsWith(";" + PORT + ";"))
                .anySatisfy(line -> assertThat(line).contains(";IPv6;Mandos\\032\\0352;_mandos._tcp;local;")
                        .endsWith(";" + (PORT + 1) + ";"));

        assertClientUnlocks(first, second);
    }

    @Test
    void servicenameNamesTheServiceNoZeroconfAnnouncesNothingAndStoppingWithdraws() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess silent = server("silent", avahi.environment(), PORT, "--no-zeroconf");
        ManagedProcess named = server("named", avahi.environment(), PORT + 1, "--servicename", "Mandos Test");
        assertThat(named.awaitStderr(Pattern.compile("Zeroconf service 'Mandos Test' established"), STARTUP))
                .as(named.describe()).isTrue();

        assertThat(AnnouncerIT.browseUntil(avahi, lines -> !lines.isEmpty())).as(avahi.describe())
                .singleElement().satisfies(line -> assertThat(line)
                        .contains(";IPv6;Mandos\\032Test;_mandos._tcp;local;").endsWith(";" + (PORT + 1) + ";"));
        assertThat(silent.stderrText()).doesNotContain("Zeroconf");

        assertThat(named.terminate(STARTUP)).as(named.describe()).hasValue(0);
        assertThat(AnnouncerIT.browseUntil(avahi, List::isEmpty)).isEmpty();
    }

    @Test
    void withNoIpv6TheServiceIsAnnouncedAndFoundOverIpv4ThroughAvahi() throws Exception {
        net.addIpv4();
        AvahiHost avahi = avahiOnServer();
        ManagedProcess server = server("ipv4-avahi", avahi.environment(), PORT, "--no-ipv6");
        assertThat(server.awaitStderr(Pattern.compile("Zeroconf service 'Mandos' established"), STARTUP))
                .as(server.describe()).isTrue();
        assertThat(AnnouncerIT.browseUntil(avahi, lines -> !lines.isEmpty())).as(avahi.describe())
                .singleElement().satisfies(line -> assertThat(line).contains(";IPv4;Mandos;")
                        .contains(";" + NetnsPair.SERVER_IPV4 + ";" + PORT + ";"));

        assertThat(assertClientUnlocks(server).stderrText()).contains("(" + NetnsPair.SERVER_IPV4 + ", ");
    }

    @Test
    void withNoIpv6TheEmbeddedResponderAnnouncesTheIpv4Address() throws Exception {
        net.addIpv4();
        ManagedProcess server = server("ipv4-embedded", noSystemBus(), PORT, "--no-ipv6");
        assertThat(server.awaitStderr(Pattern.compile("Announcing Zeroconf service 'Mandos'.* at "
                + Pattern.quote(NetnsPair.SERVER_IPV4)), STARTUP)).as(server.describe()).isTrue();

        assertThat(assertClientUnlocks(server).stderrText()).contains("(" + NetnsPair.SERVER_IPV4 + ", ");
    }
}
