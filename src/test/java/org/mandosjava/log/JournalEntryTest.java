package org.mandosjava.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalEntryTest {
    @Test
    void fieldNamesAreWhatJournaldKeeps() {
        assertThat(JournalEntry.isFieldName("MANDOS_KEY_ID")).isTrue();
        assertThat(JournalEntry.isFieldName("MESSAGE_ID")).isTrue();
        assertThat(JournalEntry.isFieldName("X9")).isTrue();
        assertThat(JournalEntry.isFieldName("9X")).isTrue();
        assertThat(JournalEntry.isFieldName("")).isFalse();
        assertThat(JournalEntry.isFieldName("_PID")).isFalse();
        assertThat(JournalEntry.isFieldName("mandos_client")).isFalse();
        assertThat(JournalEntry.isFieldName("MANDOS-PEER")).isFalse();
        assertThat(JournalEntry.isFieldName("MANDOS PEER")).isFalse();
        assertThat(JournalEntry.isFieldName("MANDOS=PEER")).isFalse();
    }

    @Test
    void aBadFieldNameIsRefusedNotSent() {
        assertThatThrownBy(() -> JournalEntry.encode(Map.of("_SYSTEMD_UNIT", "forged")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("_SYSTEMD_UNIT");
    }

    @Test
    void valuesWithAndWithoutNewlinesComeBackAsSent() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("MESSAGE", "audit: secret-released client=foo");
        fields.put("MANDOS_REASON", "two\nlines");
        fields.put("EMPTY", "");
        assertThat(JournalEntry.decode(JournalEntry.encode(fields))).containsExactlyEntriesOf(fields);
    }

    @Test
    void nonAsciiLongAndManyValuesComeBackAsSent() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("MANDOS_CLIENT", "h\u00f6st-\u20ac-\ud83d\udd11");
        fields.put("MANDOS_REASON", "\u00e9\nacross lines");
        fields.put("LONG", "x".repeat(5000));
        for (int i = 0; i < 40; i++) fields.put("F" + i, "v" + i);
        byte[] entry = JournalEntry.encode(fields);
        assertThat(JournalEntry.decode(entry)).containsExactlyEntriesOf(fields);
        // The length prefix counts UTF-8 bytes, not characters.
        String encoded = new String(entry, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(encoded).contains("MANDOS_CLIENT=h\u00f6st-\u20ac-\ud83d\udd11\n");
    }
}
