package org.mandosjava.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an audit file's chain: every line a well-formed record whose hash matches its content,
 * whose {@code prev} is the previous record's hash (64 zeros for the first) and whose number
 * follows the previous one. Finds edits, insertions, deletions and a cut start; a cut end leaves a
 * valid shorter chain (compare with the journal's copy, which has the same records).
 */
public final class AuditFileVerifier {
    /** The outcome: {@code broken} is the first bad record's line number (from 1), or 0 if intact. */
    public record Result(long records, long broken, String problem) {
        public boolean intact() {
            return broken == 0;
        }
    }

    private AuditFileVerifier() {}

    public static Result verify(Path file) throws IOException {
        String prev = ChainFormat.GENESIS;
        long expectedSeq = -1;
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                n++;
                ChainFormat.Link link = ChainFormat.parse(line);
                if (link == null) return new Result(n, n, "not a well-formed audit record");
                if (!ChainFormat.sha256(link.body()).equals(link.hash())) {
                    return new Result(n, n, "its content does not match its hash (edited)");
                }
                if (!link.prev().equals(prev)) {
                    return new Result(n, n, n == 1 ? "the first record is not the start of a chain (cut)"
                            : "it does not follow the record before (a record removed, inserted or edited)");
                }
                if (expectedSeq >= 0 && link.seq() != expectedSeq) {
                    return new Result(n, n, "record number " + link.seq() + " where " + expectedSeq + " was due");
                }
                expectedSeq = link.seq() + 1;
                prev = link.hash();
            }
        }
        return new Result(n, 0, null);
    }
}
