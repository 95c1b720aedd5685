package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.Poll;

/**
 * The browsing client: OUR {@code bin/mandos-client}, given no {@code --connect} but
 * {@code --interface=<its veth>}, in the client namespace, finds {@code bin/mandos} in the server
 * namespace by Zeroconf over fe80:: only, and prints the exact password.
 */
class OurClientZeroconfIT extends NamespaceTest {
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration UNLOCK = Duration.ofSeconds(90);
    static final int PORT = 47041;
    static final Pattern EMBEDDED_ANNOUNCED = Pattern.compile("Announcing Zeroconf service 'Mandos'.*embedded mDNS");
    static final Pattern UNKNOWN_CLIENT = Pattern.compile("Client not found for key ID");

    /** A clients.conf that knows only some other machine: same format, another key. */
    static String strangerSection() {
        return clientsConfSection.replaceFirst("\\[[^\\]]+\\]", "[stranger]")
                .replaceFirst("key_id = [0-9a-fA-F]+", "key_id = " + "ab".repeat(32))
                .replaceFirst("fingerprint = [0-9a-fA-F]+", "fingerprint = " + "CD".repeat(20));
    }

    static String ourClientSection() {
        // The checker is beside the point here; "true" keeps fping and name lookups out of it.
        return clientsConfSection.replaceFirst("\\]\n", "]\nchecker = true\n");
    }

    ManagedProcess server(String label, Map<String, String> env, int port, String clientsConf, String... extra)
            throws Exception {
        return ourServer(label, env, port, clientsConf, extra);
    }

    /** Our client, browsing on its veth only, stopped by {@code timeout} if it never gets the password. */
    ManagedProcess ourClient(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5", UNLOCK.toSeconds() + "s",
                projectHome().resolve("bin/mandos-client").toString(), "--interface=" + net.clientIf));
        command.addAll(keys.clientKeyOptions());
        command.addAll(List.of(extra));
        return track(ManagedProcess.start("our-mandos-client", NetnsPair.in(net.clientNs, command), dir, Map.of()));
    }

    /** Waits for the client to exit by itself, and checks it printed the password exactly and exited 0. */
    static void assertUnlocks(ManagedProcess client, ManagedProcess... servers) throws Exception {
        java.util.OptionalInt status = client.awaitExit(UNLOCK);
        StringBuilder context = new StringBuilder(client.describe());
        for (ManagedProcess server : servers) {
            context.append("\n").append(server.describe());
        }
        assertThat(status).as("client still running after %s:\n%s", UNLOCK, context).isPresent();
        assertThat(status.getAsInt()).as(context.toString()).isZero();
        assertThat(client.stdoutText()).as(context.toString()).isEqualTo(PASSWORD);
    }

    /** Found on the veth, at a link-local address that carries a scope (the JDK prints it by index). */
    static Pattern foundOnVeth(String service, NetnsPair net) {
        return Pattern.compile("Mandos server \"" + Pattern.quote(service) + "\" found on " + net.clientIf
                + " \\(\\[fe80:[0-9a-f:]+%[\\w-]+\\]:\\d+\\)");
    }

    @Test
    void findsTheServerAnnouncedByTheEmbeddedResponder() throws Exception {
        ManagedProcess server = server("embedded", noSystemBus(), PORT, clientsConfSection);
        assertThat(server.awaitStderr(EMBEDDED_ANNOUNCED, STARTUP)).as(server.describe()).isTrue();

        ManagedProcess client = ourClient();

        assertUnlocks(client, server);
        assertThat(client.stderrText()).as("quiet without --debug, JmDNS included").isEmpty();
        assertThat(server.stderrText()).contains("Sending secret to zeroconf-client");
    }

    @Test
    void findsTheServerAnnouncedThroughAvahiDaemon() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess server = server("avahi", avahi.environment(), PORT, clientsConfSection);
        assertThat(server.awaitStderr(Pattern.compile("Zeroconf service 'Mandos' established"), STARTUP))
                .as(server.describe()).isTrue();

        ManagedProcess client = ourClient("--debug");

        assertUnlocks(client, server);
        assertThat(client.stderrText()).containsPattern(foundOnVeth("Mandos", net));
        assertThat(server.stderrText()).contains("Sending secret to zeroconf-client");
    }

    @Test
    void withNoIpv6OnTheServerItFindsTheIpv4Announcement() throws Exception {
        net.addIpv4();
        ManagedProcess server = server("ipv4", noSystemBus(), PORT, clientsConfSection, "--no-ipv6");
        assertThat(server.awaitStderr(Pattern.compile("Announcing Zeroconf service 'Mandos'.* at "
                + Pattern.quote(NetnsPair.SERVER_IPV4)), STARTUP)).as(server.describe()).isTrue();

        ManagedProcess client = ourClient("--debug");

        assertUnlocks(client, server);
        assertThat(client.stderrText()).contains("Mandos server \"Mandos\" found on " + net.clientIf + " ("
                + NetnsPair.SERVER_IPV4 + ":" + PORT + ")");
    }

    @Test
    void whenTheFirstServerFoundKnowsNothingOfItItTriesTheSecondWhileStillBrowsing() throws Exception {
        ManagedProcess stranger = server("stranger", noSystemBus(), PORT, strangerSection());
        assertThat(stranger.awaitStderr(EMBEDDED_ANNOUNCED, STARTUP)).as(stranger.describe()).isTrue();
        // A retry far beyond the test: the password can only come from trying the second server.
        ManagedProcess client = ourClient("--debug", "--retry=600");
        assertThat(stranger.awaitStderr(UNKNOWN_CLIENT, UNLOCK)).as(stranger.describe() + "\n" + client.describe())
                .isTrue();
        assertThat(client.isAlive()).isTrue();

        ManagedProcess friend = server("friend", noSystemBus(), PORT + 1, clientsConfSection);
        assertThat(friend.awaitStderr(Pattern.compile("changing it to 'Mandos \\(2\\)'"), STARTUP))
                .as(friend.describe()).isTrue();

        assertUnlocks(client, stranger, friend);
        assertThat(client.stderrText()).containsPattern(foundOnVeth("Mandos", net))
                .containsPattern(foundOnVeth("Mandos (2)", net))
                .contains("sent no password");
        assertThat(friend.stderrText()).contains("Sending secret to zeroconf-client");
        assertThat(stranger.stderrText()).doesNotContain("Sending secret");
    }

    @Test
    void retriesAServerThatGaveNothingEveryRetrySeconds() throws Exception {
        ManagedProcess server = server("later", noSystemBus(), PORT, strangerSection());
        assertThat(server.awaitStderr(EMBEDDED_ANNOUNCED, STARTUP)).as(server.describe()).isTrue();
        ManagedProcess client = ourClient("--debug", "--retry=1");
        // Two refusals: the client came back by itself.
        assertThat(Poll.until(() -> UNKNOWN_CLIENT.matcher(server.stderrText()).results().count() >= 2, UNLOCK))
                .as(server.describe() + "\n" + client.describe()).isTrue();

        // The administrator adds the client, and the server reads clients.conf again.
        Files.writeString(configDir("later").resolve("clients.conf"), ourClientSection());
        CommandResult.runSuccessfully(Duration.ofSeconds(30), "kill", "-HUP", String.valueOf(server.pid()));

        assertUnlocks(client, server);
        assertThat(client.stderrText()).contains("Will retry");
        assertThat(server.stderrText()).contains("Sending secret to zeroconf-client");
    }

    @Test
    void withNoServerItBrowsesUntilSignalledAndPrintsNothing() throws Exception {
        ManagedProcess client = ourClient("--debug", "--retry=1");
        assertThat(client.awaitStderr(Pattern.compile("Browsing for _mandos._tcp"), STARTUP))
                .as(client.describe()).isTrue();

        // SIGTERM to timeout(1), which passes it on to the client.
        assertThat(client.terminate(Duration.ofSeconds(15))).as(client.describe()).hasValue(128 + 15);
        assertThat(client.stdoutText()).isEmpty();
        assertThat(client.stderrText()).doesNotContain("found on");
    }
}
