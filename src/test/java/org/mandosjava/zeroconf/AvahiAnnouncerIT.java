package org.mandosjava.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.Cleanup;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.Poll;
import org.mandosjava.testing.PrivateSystemBus;

/**
 * {@link AvahiAnnouncer}'s reactions, against {@link FakeAvahi} on a private dbus-daemon: the paths
 * real avahi-daemon takes only by chance (a collision after commit, state changes, a restart, the
 * rename limit). Needs dbus-daemon, not root.
 */
class AvahiAnnouncerIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int IFINDEX = 7;

    @TempDir
    Path dir;
    PrivateSystemBus bus;
    FakeAvahi avahi;
    final List<String> renames = new CopyOnWriteArrayList<>();
    private final Cleanup cleanup = new Cleanup();

    @BeforeEach
    void startBus() throws Exception {
        Peers.require(Peers.DBUS_DAEMON, "dbus");
        bus = track(PrivateSystemBus.start(dir));
        avahi = track(FakeAvahi.start(bus.address(), AvahiDbus.SERVER_RUNNING));
    }

    @AfterEach
    void stopAll() {
        cleanup.close();
    }

    <T extends AutoCloseable> T track(T resource) {
        return cleanup.track(resource);
    }

    AvahiAnnouncer announce(String name, boolean ipv6, int maxRenames) throws ZeroconfException {
        ZeroconfSettings settings = new ZeroconfSettings(name, 47931, "eth0", ipv6, ZeroconfSettings.Mode.AVAHI);
        return track(AvahiAnnouncer.start(bus.address(), settings, IFINDEX,
                (old, now) -> renames.add(old + " -> " + now), maxRenames));
    }

    AvahiAnnouncer announce() throws ZeroconfException {
        return announce("Mandos", true, AvahiAnnouncer.MAX_RENAMES);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        assertThat(Poll.until(condition, WAIT)).as(what).isTrue();
    }

    @Test
    void addsOneServiceAsTheOriginalDoesAndCommits() throws Exception {
        AvahiAnnouncer announcer = announce();

        assertThat(avahi.added).containsExactly(new FakeAvahi.Added("/Client1/EntryGroup1", IFINDEX,
                AvahiDbus.PROTO_INET6, 0, "Mandos", "_mandos._tcp", "", "", 47931, 0));
        assertThat(avahi.calls).contains("Commit /Client1/EntryGroup1");
        assertThat(announcer.serviceName()).isEqualTo("Mandos");
        assertThat(announcer.mode()).isEqualTo(ZeroconfSettings.Mode.AVAHI);
    }

    @Test
    void withoutIpv6TheProtocolIsInet() throws Exception {
        announce("Mandos", false, AvahiAnnouncer.MAX_RENAMES);
        assertThat(avahi.added).singleElement().extracting(FakeAvahi.Added::protocol)
                .isEqualTo(AvahiDbus.PROTO_INET);
    }

    @Test
    void aLocalCollisionTakesAvahisAlternativeNames() throws Exception {
        avahi.taken = name -> name.equals("Mandos") || name.equals("Mandos #2");
        AvahiAnnouncer announcer = announce();

        assertThat(announcer.serviceName()).isEqualTo("Mandos #3");
        assertThat(avahi.names()).containsExactly("Mandos #3");
        assertThat(renames).containsExactly("Mandos -> Mandos #2", "Mandos #2 -> Mandos #3");
    }

    @Test
    void aCollisionAfterCommitRenamesAndAddsAgainInTheSameGroup() throws Exception {
        avahi.collideOnNextCommit = true;
        AvahiAnnouncer announcer = announce();

        await("re-added as Mandos #2", () -> avahi.names().equals(List.of("Mandos #2")));
        assertThat(announcer.serviceName()).isEqualTo("Mandos #2");
        assertThat(renames).containsExactly("Mandos -> Mandos #2");
        List<String> calls = List.copyOf(avahi.calls);
        assertThat(calls).containsSubsequence("Commit /Client1/EntryGroup1",
                "GetAlternativeServiceName Mandos", "Reset /Client1/EntryGroup1",
                "AddService /Client1/EntryGroup1 Mandos #2", "Commit /Client1/EntryGroup1");
    }

    @Test
    void givesUpAfterTheRenameLimit() {
        avahi.taken = name -> true;
        assertThatThrownBy(() -> announce("Mandos", true, 3))
                .isInstanceOf(ZeroconfException.class)
                .hasMessage("No suitable Zeroconf service name found after 3 renames; not announcing");
        assertThat(renames).containsExactly("Mandos -> Mandos #2", "Mandos #2 -> Mandos #3",
                "Mandos #3 -> Mandos #4");
        assertThat(avahi.calls).contains("Free /Client1/EntryGroup1");
    }

    @Test
    void waitsForTheDaemonToBeRunning() throws Exception {
        avahi.state = AvahiDbus.SERVER_REGISTERING;
        announce();
        assertThat(avahi.added).isEmpty();

        avahi.changeState(AvahiDbus.SERVER_RUNNING);
        await("added once running", () -> avahi.names().equals(List.of("Mandos")));
    }

    @Test
    void withdrawsWhileTheDaemonIsNotRunningAndComesBack() throws Exception {
        announce();
        avahi.changeState(AvahiDbus.SERVER_COLLISION);
        await("group freed", () -> avahi.calls.contains("Free /Client1/EntryGroup1"));
        assertThat(avahi.added).isEmpty();

        avahi.changeState(AvahiDbus.SERVER_RUNNING);
        await("added in a new group", () -> avahi.added.stream()
                .anyMatch(a -> a.group().equals("/Client1/EntryGroup2") && a.name().equals("Mandos")));
    }

    @Test
    void announcesAgainWhenTheDaemonReturnsToTheBus() throws Exception {
        announce();
        avahi.close();

        FakeAvahi restarted = track(FakeAvahi.start(bus.address(), AvahiDbus.SERVER_RUNNING));
        await("added to the new daemon", () -> restarted.names().equals(List.of("Mandos")));
    }

    @Test
    void closingResetsAndFreesTheGroup() throws Exception {
        AvahiAnnouncer announcer = announce();
        announcer.close();

        assertThat(avahi.calls).containsSubsequence("Reset /Client1/EntryGroup1", "Free /Client1/EntryGroup1");
        assertThat(avahi.added).isEmpty();
        announcer.close(); // harmless twice
    }
}
