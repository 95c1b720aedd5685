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

    @Test
    void aKeyIdWrittenInLowerCaseIsHeldOnceAndReadAsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clients.conf");
        Files.writeString(file, """
                [lower]
                key_id = 00aa ff
                fingerprint = 11bb
                secret = c2VjcmV0

                [mixed]
                key_id = 00Aa
                secret = c2VjcmV0

                [non-ascii]
                key_id = éa
                secret = c2VjcmV0
                """);
        List<ClientConfig> clients = ClientsConf.load(file);
        ClientConfig lower = clients.get(0);
        OptionMap options = (OptionMap) lower.options();
        assertThat(lower.keyId()).isEqualTo("00AAFF");
        // Spaces are dropped for comparing: the text as written is not the compared form lowered.
        assertThat(options.get("key_id")).isEqualTo("00aa ff");
        assertThat(options.get("fingerprint")).isEqualTo("11bb");
        assertThat(lower.fingerprint()).isEqualTo("11BB");
        assertThat(options).containsEntry("key_id", "00aa ff").containsEntry("fingerprint", "11bb");
        assertThat(options).isEqualTo(new HashMap<>(options));

        OptionMap mixed = (OptionMap) clients.get(1).options();
        assertThat(mixed.get("key_id")).isEqualTo("00Aa");
        assertThat(clients.get(2).options().get("key_id")).isEqualTo("\u00e9a");
        assertThat(clients.get(2).keyId()).isEqualTo("\u00c9A");
    }

    @Test
    void aValueHeldInUpperCaseIsReadLowered() {
        OptionMap.Shape shape = new OptionMap.Shape(List.of("key_id", "host"));
        String upper = "B4B2CC";
        assertThat(OptionMap.lowerable("b4b2cc", upper, 0)).isTrue();
        assertThat(OptionMap.lowerable("b4B2cc", upper, 0)).isFalse();
        assertThat(OptionMap.lowerable("b4b2c", upper, 0)).isFalse();
        assertThat(OptionMap.lowerable("b4b2cc", upper, 32)).isFalse();
        // Not ASCII: Java's lower case of a capital dotted I is two characters.
        assertThat(OptionMap.lowerable("i", "\u0130", 0)).isFalse();

        OptionMap held = shape.with(new String[] {upper, "H"}, OptionMap.bit(0));
        OptionMap written = shape.with(new String[] {"b4b2cc", "H"});
        assertThat(held.get("key_id")).isEqualTo("b4b2cc");
        assertThat(held.get("host")).isEqualTo("H");
        assertThat(held).isEqualTo(written).isEqualTo(Map.of("key_id", "b4b2cc", "host", "H"));
        assertThat(written).isEqualTo(held);
        assertThat(held.hashCode()).isEqualTo(written.hashCode());
        assertThat(held).isNotEqualTo(shape.with(new String[] {upper, "H"}));
        assertThat(held.entrySet()).extracting(Map.Entry::getValue).containsExactly("b4b2cc", "H");
        assertThatThrownBy(() -> shape.with(new String[] {"\u00c9", "H"}, OptionMap.bit(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mandosKeygensKeyIdIsHeldOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clients.conf");
        String keyId = "b4b2cca6b95a925617b167904946c63bc521e9336105cb5f1d180aea29e46c2e";
        Files.writeString(file, "[a]\nkey_id = " + keyId + "\nsecret = c2VjcmV0\n");
        ClientConfig a = ClientsConf.load(file).get(0);
        assertThat(a.options().get("key_id")).isEqualTo(keyId);
        // The one string held is the compared form; reading the option makes its lower case anew.
        assertThat(a.keyId()).isEqualTo(keyId.toUpperCase(java.util.Locale.ROOT));
        java.lang.reflect.Field values = OptionMap.class.getDeclaredField("values");
        values.setAccessible(true);
        int index = List.copyOf(a.options().keySet()).indexOf("key_id");
        assertThat(((String[]) values.get(a.options()))[index]).isSameAs(a.keyId());
    }
}
