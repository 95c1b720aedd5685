package org.mandosjava.tools.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryListTest {
    static final long SECOND = 1_000_000_000L;
    final ServerAddress a = ServerAddress.parse("[fe80::1%1]:1");
    final ServerAddress b = ServerAddress.parse("[fe80::2%1]:2");

    @Test
    void emptyMeansWaitForever() {
        RetryList list = new RetryList(10 * SECOND);

        assertThat(list.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(list.due(Long.MAX_VALUE / 2)).isEmpty();
    }

    @Test
    void eachServerIsDueItsIntervalAfterItsLastAttemptLeastRecentlyTriedFirst() {
        RetryList list = new RetryList(10 * SECOND);
        list.tried(a, 100 * SECOND);
        list.tried(b, 103 * SECOND);

        assertThat(list.nanosUntilDue(104 * SECOND)).isEqualTo(6 * SECOND);
        assertThat(list.due(109 * SECOND)).isEmpty();
        assertThat(list.due(110 * SECOND)).contains(a);

        list.tried(a, 111 * SECOND);
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.due(112 * SECOND)).isEmpty();
        assertThat(list.due(113 * SECOND)).contains(b);
        list.tried(b, 113 * SECOND);
        assertThat(list.nanosUntilDue(113 * SECOND)).isEqualTo(8 * SECOND);
        assertThat(list.due(121 * SECOND)).contains(a);
    }

    @Test
    void zeroIntervalRetriesAtOnce() {
        RetryList list = new RetryList(0);
        list.tried(a, 5);

        assertThat(list.due(5)).contains(a);
    }
}
