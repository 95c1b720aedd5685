package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mandosjava.testing.ManagedProcess;
import org.mandosjava.testing.Poll;

/**
 * The announcers on their own (in a small JVM, {@link AnnounceMain}), against the real avahi-daemon,
 * avahi-browse and the real mandos-client's discovery, in network namespaces. Nothing listens on the
 * announced port: these tests stop at "the client found the service"; the server tests go on to the
 * password.
 */
class AnnouncerIT extends NamespaceTest {
    static final Duration DISCOVERY = Duration.ofSeconds(60);
    static final int PORT = 47011;

    ManagedProcess announcer(String label, Map<String, String> env, String mode, String name, int port) throws Exception {
        String classpath = System.getProperty("mandos.jar") + ":" + projectHome().resolve("target/test-classes");
        return track(ManagedProcess.start("announcer-" + label, NetnsPair.in(net.serverNs, List.of(
                javaBinary(), "-cp", classpath, AnnounceMain.class.getName(), mode, name,
                String.valueOf(port), net.serverIf, "ipv6")), dir, env));
    }

    static Pattern found(String name, int port) {
        return Pattern.compile("Mandos server \"" + Pattern.quote(name) + "\" found on \\S+ \\(fe80::[0-9a-f:]+, \\d+\\) on port "
                + port + "\\b");
    }

    @Test
    void theRealClientFindsAServiceAnnouncedThroughAvahi() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess announcer = announcer("avahi", avahi.environment(), "auto", "Mandos", PORT);
        assertThat(announcer.awaitStdout(Pattern.compile("MODE AVAHI NAME Mandos"), DISCOVERY))
                .as(announcer.describe()).isTrue();

        ManagedProcess client = client();
        assertThat(client.awaitStderr(found("Mandos", PORT), DISCOVERY)).as(client.describe()).isTrue();
    }

    @Test
    void theRealClientFindsTheEmbeddedResponderWhenNoAvahiDaemonRuns() throws Exception {
        ManagedProcess announcer = announcer("embedded", noSystemBus(), "auto", "Mandos", PORT);
        assertThat(announcer.awaitStdout(Pattern.compile("MODE EMBEDDED NAME Mandos"), DISCOVERY))
                .as(announcer.describe()).isTrue();
        assertThat(announcer.awaitStderr(Pattern.compile("Announcing Zeroconf service 'Mandos'"), DISCOVERY))
                .as(announcer.describe()).isTrue();

        ManagedProcess client = client();
        assertThat(client.awaitStderr(found("Mandos", PORT), DISCOVERY)).as(client.describe()).isTrue();
    }

    @Test
    void aSecondServiceOfTheSameNameIsRenamedAndBothAreBrowsable() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess first = announcer("first", avahi.environment(), "avahi", "Mandos", PORT);
        assertThat(first.awaitStdout(Pattern.compile("NAME Mandos$", Pattern.MULTILINE), DISCOVERY))
                .as(first.describe()).isTrue();
        // Registered, not just started: avahi-daemon may still be starting, and until the first
        // service exists there is nothing for the second to collide with.
        assertThat(first.awaitStderr(Pattern.compile("Zeroconf service 'Mandos' established"), DISCOVERY))
                .as(first.describe()).isTrue();
        ManagedProcess second = announcer("second", avahi.environment(), "avahi", "Mandos", PORT + 1);
        // The rename is reported whenever it happens: during start (if avahi-daemon is running) or
        // later (if it is still starting up); the listener sees it either way.
        assertThat(second.awaitStdout(Pattern.compile("RENAMED Mandos -> Mandos #2"), DISCOVERY))
                .as(second.describe()).isTrue();
        assertThat(second.stderrText()).contains("WARNING: Zeroconf service name 'Mandos' is taken; changing it to 'Mandos #2'");

        assertThat(browseUntil(avahi, lines -> lines.size() >= 2)).as(avahi.describe())
                .anySatisfy(line -> assertThat(line).startsWith("=;" + net.serverIf + ";IPv6;Mandos;_mandos._tcp;local;")
                        .endsWith(";" + PORT + ";"))
                .anySatisfy(line -> assertThat(line).startsWith("=;" + net.serverIf + ";IPv6;Mandos\\032\\0352;_mandos._tcp;local;")
                        .endsWith(";" + (PORT + 1) + ";"));
    }

    @Test
    void theEmbeddedResponderRenamesOnACollisionAndTellsTheListener() throws Exception {
        ManagedProcess first = announcer("embedded-first", noSystemBus(), "embedded", "Mandos", PORT);
        assertThat(first.awaitStderr(Pattern.compile("Announcing Zeroconf service 'Mandos'"), DISCOVERY))
                .as(first.describe()).isTrue();
        ManagedProcess second = announcer("embedded-second", noSystemBus(), "embedded", "Mandos", PORT + 1);

        assertThat(second.awaitStdout(Pattern.compile("RENAMED Mandos -> Mandos \\(2\\)"), DISCOVERY))
                .as(second.describe()).isTrue();
        assertThat(second.stderrText()).contains("Zeroconf service name 'Mandos' is taken; changing it to 'Mandos (2)'");
        ManagedProcess client = client();
        assertThat(client.awaitStderr(found("Mandos (2)", PORT + 1), DISCOVERY)).as(client.describe()).isTrue();
        assertThat(client.awaitStderr(found("Mandos", PORT), DISCOVERY)).as(client.describe()).isTrue();
    }

    @Test
    void theServiceIsAnnouncedAgainAfterAvahiDaemonRestarts() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess announcer = announcer("restart", avahi.environment(), "avahi", "Mandos", PORT);
        assertThat(announcer.awaitStdout(Pattern.compile("MODE AVAHI"), DISCOVERY)).as(announcer.describe()).isTrue();
        assertThat(browseUntil(avahi, lines -> !lines.isEmpty())).hasSize(1);

        avahi.stopAvahi();
        assertThat(announcer.awaitStderr(Pattern.compile("avahi-daemon left the D-Bus system bus"), DISCOVERY))
                .as(announcer.describe()).isTrue();
        avahi.startAvahi();

        assertThat(browseUntil(avahi, lines -> !lines.isEmpty())).as(announcer.describe())
                .singleElement().satisfies(line -> assertThat(line).contains(";Mandos;").endsWith(";" + PORT + ";"));
        ManagedProcess client = client();
        assertThat(client.awaitStderr(found("Mandos", PORT), DISCOVERY)).as(client.describe()).isTrue();
    }

    @Test
    void closingWithdrawsTheService() throws Exception {
        AvahiHost avahi = avahiOnServer();
        ManagedProcess announcer = announcer("withdraw", avahi.environment(), "avahi", "Mandos", PORT);
        assertThat(browseUntil(avahi, lines -> !lines.isEmpty())).as(announcer.describe()).hasSize(1);

        announcer.close();
        assertThat(browseUntil(avahi, List::isEmpty)).isEmpty();
    }

    /** Browses until the condition holds or the deadline passes; the last result. */
    static List<String> browseUntil(AvahiHost avahi, java.util.function.Predicate<List<String>> condition)
            throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(DISCOVERY);
        List<String> lines = avahi.browse();
        while (!condition.test(lines) && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(Poll.INTERVAL.toMillis());
            lines = avahi.browse();
        }
        return lines;
    }
}
