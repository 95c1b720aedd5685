package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ClientDirectoryTest {
    final ReentrantLock lock = new ReentrantLock();
    final ClientDirectory directory = new ClientDirectory();

    Client add(String name, String keyId) {
        Client c = new Client(TestClients.client(name, keyId, new byte[] {1}, true), lock.newCondition(),
                Instant.EPOCH);
        directory.add(c);
        return c;
    }

    @Test
    void theFirstOfASharedKeyIdGetsItAndTheNextTakesOverWhenItGoes() {
        Client a = add("a", "AA");
        Client b = add("b", "AA");
        Client c = add("c", "AA");
        assertThat(directory.withKeyId("AA")).isSameAs(a);
        directory.remove(a);
        assertThat(directory.withKeyId("AA")).isSameAs(b);
        directory.remove(c); // a shadowed one going changes nothing
        assertThat(directory.withKeyId("AA")).isSameAs(b);
        directory.remove(b);
        assertThat(directory.withKeyId("AA")).isNull();
        assertThat(directory.isEmpty()).isTrue();
    }

    @Test
    void reorderFollowsTheNewFileAndKeepsTheRest() {
        add("a", "AA");
        add("b", "BB");
        add("c", "CC");
        directory.reorder(List.of("c", "a"));
        assertThat(directory.all()).extracting(Client::name).containsExactly("c", "a", "b");
        assertThat(directory.named("b").keyId()).isEqualTo("BB");
    }

    @Test
    void reservingRoomKeepsTheClientsThereAlready() {
        directory.reserve(100);
        Client a = add("a", "AA");
        directory.reserve(100_000); // not empty: nothing is replaced
        Client b = add("b", "BB");
        assertThat(directory.all()).containsExactly(a, b);
        assertThat(directory.withKeyId("AA")).isSameAs(a);
        assertThat(directory.named("b")).isSameAs(b);
    }
}
