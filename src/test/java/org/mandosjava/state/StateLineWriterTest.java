package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateLineWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StateLineWriter lines = new StateLineWriter(out, sha256());

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String written() throws Exception {
        lines.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void instantsAreWrittenAsInstantToStringWritesThem() throws Exception {
        Random random = new Random(7);
        java.util.List<Instant> instants = new java.util.ArrayList<>(java.util.List.of(Instant.EPOCH,
                Instant.parse("2026-12-02T16:00:00Z"), Instant.parse("2026-12-02T16:00:00.5Z"),
                Instant.parse("2026-12-02T16:00:07.000001Z"), Instant.parse("2026-12-02T16:00:07.000000001Z"),
                Instant.parse("2026-12-02T16:00:07.120Z"), Instant.parse("2026-12-02T16:00:07.123400Z"),
                Instant.parse("1900-02-28T23:59:59.999999999Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        StringBuilder expected = new StringBuilder();
        for (Instant t : instants) {
            lines.field("t", t);
            lines.endLine();
            expected.append("t=").append(t).append('\n');
        }
        assertThat(written()).isEqualTo(expected.toString());
    }

    @Test
    void textIsEscapedAndEncodedAsUtf8WithLoneSurrogatesAsQuestionMarks() throws Exception {
        String[] texts = {"plain", "tab\there", "new\nline\rreturn", "back\\slash", "é and ß", "日本語",
            "emoji \uD83D\uDD12 lock", "lone high \uD800 x", "lone low \uDC00 x", "high at end \uD83D", ""};
        StringBuilder expected = new StringBuilder();
        for (String text : texts) {
            lines.field("k", text);
            lines.field(text);
            lines.endLine();
            String escaped = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
            expected.append("k=").append(escaped).append('\t').append(escaped).append('\n');
        }
        byte[] expectedBytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        lines.finish();
        assertThat(out.toByteArray()).isEqualTo(expectedBytes);
    }

    @Test
    void absentValuesWriteNoFieldAndOthersTheirTextForm() throws Exception {
        lines.field("client");
        lines.field("a", (String) null);
        lines.field("b", (Instant) null);
        lines.field("c", (Duration) null);
        lines.field("d", (Integer) null);
        lines.field("e", true);
        lines.field("f", -2);
        lines.field("g", Duration.ofMinutes(5));
        lines.field("h", Duration.ofMillis(1500));
        lines.field("i", Duration.ofMinutes(5));
        lines.endLine();
        assertThat(written()).isEqualTo("client\te=true\tf=-2\tg=PT5M\th=PT1.5S\ti=PT5M\n");
    }

    @Test
    void theChecksumCoversEveryByteWrittenAcrossFlushes() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            lines.field("line");
            lines.field("n", Integer.valueOf(i));
            lines.field("pad", "x".repeat(i % 97));
            lines.endLine();
            expected.append("line\tn=").append(i).append("\tpad=").append("x".repeat(i % 97)).append('\n');
        }
        lines.field("x".repeat(200_000)); // one line longer than the buffer
        lines.endLine();
        expected.append("x".repeat(200_000)).append('\n');
        String checksum = lines.finish();
        byte[] bytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(out.toByteArray()).isEqualTo(bytes);
        assertThat(checksum).isEqualTo(HexFormat.of().formatHex(sha256().digest(bytes)));
    }
}
