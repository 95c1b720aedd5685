package org.mandosjava.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client's options as one array of values over keys shared with every client of the same form. */
class OptionMapTest {
    @Test
    void behavesAsAnImmutableMapEqualToAnyOther() {
        OptionMap.Shape shape = new OptionMap.Shape(List.of("timeout", "key_id", "host"));
        OptionMap map = shape.with(new String[] {"PT5M", "abc", "h"});
        Map<String, String> plain = new HashMap<>(Map.of("timeout", "PT5M", "key_id", "abc", "host", "h"));

        assertThat(map).isEqualTo(plain).hasSize(3).containsEntry("host", "h");
        assertThat(plain).isEqualTo(map);
        assertThat(map.hashCode()).isEqualTo(plain.hashCode());
        assertThat(map.get(new String("key_id"))).isEqualTo("abc"); // found by equality too
        assertThat(map.get("nope")).isNull();
        assertThat(map.containsKey("nope")).isFalse();
        assertThat(map.keySet()).containsExactly("timeout", "key_id", "host");
        assertThat(map).isNotEqualTo(shape.with(new String[] {"PT5M", "abc", "other"}));
        plain.put("host", "other");
        assertThat(map).isNotEqualTo(plain);

        assertThatThrownBy(() -> map.put("host", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shape.with(new String[] {"a", "b"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shape.with(new String[] {"a", null, "c"})).isInstanceOf(NullPointerException.class);
    }

    @Test
    void clientsOfTheSameFormShareTheirKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clients.conf");
        Files.writeString(file, """
                [DEFAULT]
                timeout = PT5M

                [a]
                key_id = 00aa
                fingerprint = 11BB
                secret = c2VjcmV0

                [b]
                key_id = 00cc
                fingerprint = 11DD
                secret = c2VjcmV0

                [c]
                key_id = 00ee
                secret = c2VjcmV0
                host = c.example
                """);
        List<ClientConfig> clients = ClientsConf.load(file);
        OptionMap a = (OptionMap) clients.get(0).options();
        OptionMap b = (OptionMap) clients.get(1).options();
        OptionMap c = (OptionMap) clients.get(2).options();
        assertThat(a.shape()).isSameAs(b.shape());
        assertThat(c.shape()).isNotSameAs(a.shape());
        assertThat(a).containsEntry("key_id", "00aa").containsEntry("fingerprint", "11BB")
                .containsEntry("timeout", "PT5M").doesNotContainKey("secret");
        assertThat(c).containsEntry("host", "c.example");
        // The fingerprint already in its compared form is held once.
        assertThat(a.get("fingerprint")).isSameAs(clients.get(0).fingerprint());
    }
}
