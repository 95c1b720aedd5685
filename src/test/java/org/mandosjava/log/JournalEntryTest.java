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
}
