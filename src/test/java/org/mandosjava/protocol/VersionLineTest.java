package org.mandosjava.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionLineTest {
    @Test
    void acceptsVersionOneWithOrWithoutTrailingWords() {
        for (String line : new String[] {"1", " 1 ", "1 extra words", "1\tx", "1\u000Bx", "\u001C1\r"}) {
            assertThatCode(() -> VersionLine.check(line)).as(line).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAnyOtherFirstWordAndNamesIt() {
        for (String line : new String[] {"", " ", "2", "10", "01", "1x", "1\u001Cx", "1\u00A0x", "\u00A01"}) {
            assertThatThrownBy(() -> VersionLine.check(line)).as(line).isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("Unknown protocol version: '");
        }
    }

    /** The first word is what a regex split of the stripped line finds, for any mix of odd characters. */
    @Test
    void agreesWithARegexSplitOnRandomLines() {
        char[] alphabet = {'1', '0', '2', ' ', '\t', '\u000B', '\f', '\r', '\n', '\u001C', '\u001F', '\u00A0', 'x'};
        Random random = new Random(4242);
        for (int i = 0; i < 20_000; i++) {
            char[] line = new char[random.nextInt(6)];
            for (int j = 0; j < line.length; j++) line[j] = alphabet[random.nextInt(alphabet.length)];
            String text = new String(line);
            boolean expected = text.strip().split("\\s+", 2)[0].equals("1");
            boolean accepted;
            try {
                VersionLine.check(text);
                accepted = true;
            } catch (ProtocolException e) {
                accepted = false;
            }
            assertThat(accepted).as("%s", text.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(expected);
        }
    }
}
