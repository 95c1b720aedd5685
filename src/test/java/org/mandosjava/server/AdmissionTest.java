package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission policy alone: who is evicted, who is refused, who is safe. */
class AdmissionTest {
    static final InetAddress A = address("10.0.0.1");
    static final InetAddress B = address("10.0.0.2");
    static final InetAddress C = address("fe80::1");

    final List<String> cut = new ArrayList<>();

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Admission admission(int max, int perAddress, int perKey) {
        return new Admission(new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(60), Duration.ofSeconds(5), max, perAddress, perKey));
    }

    Admission.Admit admit(Admission a, InetAddress from, String name) {
        Admission.Admit r = a.admit(from, () -> cut.add(name));
        if (r.evicted() != null) r.evicted().cut().run();
        return r;
    }

    @Test
    void anAddressAtItsLimitGetsNoMoreButOthersDo() {
        Admission a = admission(100, 3, 8);
        admit(a, A, "a1");
        admit(a, A, "a2");
        var third = admit(a, A, "a3");
        var fourth = admit(a, A, "a4");
        assertThat(fourth.outcome()).isEqualTo(Admission.Outcome.REFUSED_AT_ADDRESS_LIMIT);
        assertThat(fourth.ticket()).isNull();
        assertThat(cut).isEmpty();
        assertThat(admit(a, B, "b1").outcome()).isEqualTo(Admission.Outcome.ADMITTED);
        assertThat(a.unauthenticatedFrom(A)).isEqualTo(3);
        assertThat(a.held()).isEqualTo(4);
        // One of them authenticates or leaves: the address may have another.
        assertThat(a.authenticated(third.ticket(), "k")).isTrue();
        assertThat(admit(a, A, "a5").outcome()).isEqualTo(Admission.Outcome.ADMITTED);
    }

    @Test
    void atTheCapTheAddressWithMostLosesItsOldest() {
        Admission a = admission(5, 10, 8);
        admit(a, B, "b1");
        admit(a, A, "a1");
        admit(a, A, "a2");
        admit(a, A, "a3");
        admit(a, B, "b2");
        var r = admit(a, C, "c1");
        assertThat(r.outcome()).isEqualTo(Admission.Outcome.EVICTED_AT_CAP);
        assertThat(cut).containsExactly("a1");
        assertThat(a.held()).isEqualTo(5);
        assertThat(a.unauthenticatedFrom(C)).isEqualTo(1);
    }

    @Test
    void anAuthenticatedConnectionIsNeverEvicted() {
        Admission a = admission(2, 10, 8);
        var known = admit(a, A, "known");
        assertThat(a.authenticated(known.ticket(), "key1")).isTrue();
        admit(a, B, "b1");
        for (int i = 2; i <= 50; i++) admit(a, B, "b" + i);
        assertThat(cut).doesNotContain("known").hasSize(49);
        assertThat(known.ticket().evicted()).isFalse();
        assertThat(a.held()).isEqualTo(2);
        assertThat(a.unauthenticated()).isEqualTo(1);
    }

    @Test
    void whenAllAreAuthenticatedTheNewcomerIsRefused() {
        Admission a = admission(2, 10, 8);
        assertThat(a.authenticated(admit(a, A, "a1").ticket(), "k1")).isTrue();
        assertThat(a.authenticated(admit(a, B, "b1").ticket(), "k2")).isTrue();
        var r = admit(a, C, "c1");
        assertThat(r.outcome()).isEqualTo(Admission.Outcome.REFUSED_AT_CAP);
        assertThat(r.ticket()).isNull();
        assertThat(cut).isEmpty();
        assertThat(a.evictOne()).isNull();
    }

    @Test
    void oneKeyHoldsAtMostItsLimitOfConnections() {
        Admission a = admission(100, 100, 2);
        var t1 = admit(a, A, "1").ticket();
        var t2 = admit(a, A, "2").ticket();
        var t3 = admit(a, A, "3").ticket();
        assertThat(a.authenticated(t1, "k")).isTrue();
        assertThat(a.authenticated(t2, "k")).isTrue();
        assertThat(a.authenticated(t3, "k")).as("third of one key").isFalse();
        assertThat(a.authenticated(t3, "other")).isTrue();
        a.release(t1);
        var t4 = admit(a, A, "4").ticket();
        assertThat(a.authenticated(t4, "k")).as("after one left").isTrue();
    }

    @Test
    void atItsLimitAKeysOldestFinishingConnectionGivesWay() {
        Admission a = admission(100, 100, 2);
        var t1 = admit(a, A, "1").ticket();
        var t2 = admit(a, A, "2").ticket();
        var t3 = admit(a, A, "3").ticket();
        var t4 = admit(a, A, "4").ticket();
        assertThat(a.authenticated(t1, "k")).isTrue();
        assertThat(a.authenticated(t2, "k")).isTrue();
        a.finishing(t2);
        a.finishing(t1);
        assertThat(a.authenticated(t3, "k")).as("in place of a finishing one").isTrue();
        assertThat(cut).containsExactly("2");
        assertThat(t2.evicted()).isTrue();
        assertThat(a.held()).isEqualTo(3);
        assertThat(a.authenticated(t4, "k")).as("in place of the other").isTrue();
        assertThat(cut).containsExactly("2", "1");

        // Neither of the two left is finishing: the limit holds.
        var t5 = admit(a, A, "5").ticket();
        assertThat(a.authenticated(t5, "k")).isFalse();
        assertThat(cut).containsExactly("2", "1");
        // A cut one's own release changes nothing; a finishing one released is no longer there to cut.
        a.release(t2);
        assertThat(a.held()).isEqualTo(3);
        a.finishing(t3);
        a.release(t3);
        var t6 = admit(a, A, "6").ticket();
        var t7 = admit(a, A, "7").ticket();
        assertThat(a.authenticated(t6, "k")).isTrue();
        assertThat(a.authenticated(t7, "k")).isFalse();
        assertThat(cut).containsExactly("2", "1");
    }

    @Test
    void onlyAnAuthenticatedLiveConnectionCanBeFinishing() {
        Admission a = admission(100, 100, 1);
        var stranger = admit(a, A, "s").ticket();
        a.finishing(stranger); // no key: nothing to give way to
        var t1 = admit(a, A, "1").ticket();
        assertThat(a.authenticated(t1, "k")).isTrue();
        a.release(t1);
        a.finishing(t1); // after its end
        var t2 = admit(a, A, "2").ticket();
        var t3 = admit(a, A, "3").ticket();
        assertThat(a.authenticated(t2, "k")).isTrue();
        assertThat(a.authenticated(t3, "k")).isFalse();
        assertThat(cut).isEmpty();
    }

    @Test
    void releaseFreesThePlaceOnceAndAnEvictedOneCannotAuthenticate() {
        Admission a = admission(1, 10, 8);
        var old = admit(a, A, "a1").ticket();
        admit(a, B, "b1");
        assertThat(old.evicted()).isTrue();
        assertThat(a.authenticated(old, "k")).isFalse();
        a.release(old);
        a.release(old);
        assertThat(a.held()).isEqualTo(1);
        assertThat(a.unauthenticatedFrom(A)).isZero();
        assertThat(a.unauthenticatedFrom(B)).isEqualTo(1);
    }

    @Test
    void evictOneTakesFromTheLargestAddressOldestFirst() {
        Admission a = admission(100, 100, 8);
        admit(a, B, "b1");
        admit(a, A, "a1");
        admit(a, A, "a2");
        Admission.Ticket t = a.evictOne();
        t.cut().run();
        assertThat(cut).containsExactly("a1");
        assertThat(a.held()).isEqualTo(2);
    }
}
