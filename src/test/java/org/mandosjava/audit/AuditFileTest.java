package org.mandosjava.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.SmallTmpfs;
import org.mandosjava.tools.audit.AuditMainAccess;

/** The hash-chained audit file and its verifier: intact files pass, every kind of tampering is found. */
class AuditFileTest {
    @TempDir Path dir;

    static AuditRecord record(int i) {
        return new AuditRecord(Instant.parse("2026-12-02T03:04:05Z").plusSeconds(i), AuditEvent.SECRET_RELEASED,
                "host \"" + i + "\"\n", "ab".repeat(32), "::1", i, null, null, -1, 1);
    }

    Path written(int n) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditFile f = AuditFile.open(file)) {
            for (int i = 1; i <= n; i++) f.write(record(i));
        }
        return file;
    }

    @Test
    void anIntactFileVerifiesAndAReopenedOneContinuesTheChain() throws Exception {
        Path file = written(3);
        try (AuditFile f = AuditFile.open(file)) {
            f.write(record(4));
        }
        assertThat(Files.readAllLines(file)).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
        assertThat(Files.readAllLines(file).get(3)).startsWith("{\"seq\":4,");
        assertThat(AuditFileVerifier.verify(file)).isEqualTo(new AuditFileVerifier.Result(4, 0, null));
        assertThat(Files.getPosixFilePermissions(file).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE, GROUP_READ]");
    }

    @Test
    void concurrentWritersShareFsyncsAndKeepOneChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditFile f = AuditFile.open(file)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        try {
                            f.write(record(i));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) t.join();
        }
        assertThat(AuditFileVerifier.verify(file)).isEqualTo(new AuditFileVerifier.Result(400, 0, null));
    }

    @Test
    void onAFullDiskTheWriteFailsAndTheFileHoldsOnlyWhatItsCallersWereToldIsWritten() throws Exception {
        SmallTmpfs.require();
        try (SmallTmpfs fs = SmallTmpfs.mount(dir.resolve("full"), 256)) {
            Path file = fs.path().resolve("audit.jsonl");
            try (AuditFile f = AuditFile.open(file)) {
                f.write(record(1));
                f.write(record(2));
                fs.fill();
                // Records big enough to need a block the full file system no longer has.
                AuditRecord big = new AuditRecord(Instant.parse("2026-12-02T03:04:05Z"), AuditEvent.SETTING_CHANGED,
                        "x".repeat(8192), null, null, -1, null, null, -1, 1);
                assertThatThrownBy(() -> f.write(big)).isInstanceOf(java.io.IOException.class)
                        .hasMessageContaining("No space left on device");
                assertThat(Files.readAllLines(file)).hasSize(2);
                fs.free();
                f.write(record(3));
            }
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(3);
            assertThat(lines.get(2)).startsWith("{\"seq\":3,");
            assertThat(AuditFileVerifier.verify(file)).isEqualTo(new AuditFileVerifier.Result(3, 0, null));
        }
    }

    @Test
    void aClosedFileRefusesRecords() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditFile f = AuditFile.open(file);
        f.write(record(1));
        f.close();
        assertThatThrownBy(() -> f.write(record(2))).isInstanceOf(java.io.IOException.class).hasMessageContaining("closed");
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void anEditedRecordIsFoundAtItsNumber() throws Exception {
        Path file = written(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"peer\":\"::1\"", "\"peer\":\"::2\""));
        Files.write(file, lines);
        assertThat(AuditFileVerifier.verify(file).broken()).isEqualTo(3);
    }

    @Test
    void aRemovedRecordOrACutStartIsFound() throws Exception {
        Path file = written(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Files.write(file, lines);
        assertThat(AuditFileVerifier.verify(file).broken()).isEqualTo(2);
        Files.write(file, lines.subList(1, lines.size()));
        assertThat(AuditFileVerifier.verify(file).broken()).isEqualTo(1);
    }

    @Test
    void aRewrittenRecordWithAFreshHashBreaksTheNextLink() throws Exception {
        Path file = written(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        ChainFormat.Link first = ChainFormat.parse(lines.get(0));
        String forged = first.body().replace("\"peer\":\"::1\"", "\"peer\":\"::9\"");
        lines.set(0, forged + ",\"sha256\":\"" + ChainFormat.sha256(forged) + "\"}");
        Files.write(file, lines);
        assertThat(AuditFileVerifier.verify(file).broken()).isEqualTo(2);
    }

    @Test
    void aTornLastLineIsReportedAndTheChainGoesOnAfterIt() throws Exception {
        Path file = written(2);
        Files.writeString(file, "{\"seq\":3,\"ti", StandardOpenOption.APPEND);
        try (AuditFile f = AuditFile.open(file)) {
            f.write(record(3));
        }
        assertThat(Files.readAllLines(file)).hasSize(4);
        assertThat(AuditFileVerifier.verify(file).broken()).isEqualTo(3);
    }

    @Test
    void theVerifierCommandExitsZeroOrOneWithTheRecordNumber() throws Exception {
        Path file = written(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(AuditMainAccess.run(new String[] {"verify", file.toString()}, ps, ps)).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("secret_released", "secret_refused"));
        Files.write(file, lines);
        assertThat(AuditMainAccess.run(new String[] {"verify", file.toString()}, ps, ps)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("broken at record 2");
        assertThat(AuditMainAccess.run(new String[] {"check"}, ps, ps)).isEqualTo(2);
    }
}
