package org.mandosjava.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The append-only JSON-lines audit file, each record chained to the one before (see
 * {@link ChainFormat}). Every record is written and fdatasync'ed before {@link #write} returns, so
 * a release record is on disk before the secret is sent. Writers that come while an fdatasync runs
 * append their records and share the next one (group commit). An existing file is continued: the
 * chain goes on from its last well-formed record.
 */
public final class AuditFile implements AuditSink {
    /** How far from the end a file's last record is looked for. */
    private static final int TAIL_READ = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private long seq;
    private String prev;
    /** Guards {@link #synced}; held while one fdatasync runs for everyone who wrote before it. */
    private final Object syncLock = new Object();
    /** The last record number known to be on disk. */
    private long synced;

    private AuditFile(Path path, FileChannel channel, long seq, String prev) {
        this.path = path;
        this.channel = channel;
        this.seq = seq;
        this.prev = prev;
    }

    /** Opens (creating, mode 0640) the file at {@code path} for appending. */
    public static AuditFile open(Path path) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileChannel channel = FileChannel.open(path, options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        try {
            ChainFormat.Link last = lastLink(path);
            AuditFile file = new AuditFile(path, channel, last == null ? 0 : last.seq(),
                    last == null ? ChainFormat.GENESIS : last.hash());
            if (!endsWithNewline(path)) channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void write(AuditRecord record) throws IOException {
        long mine;
        synchronized (this) {
            ChainFormat.Line line = ChainFormat.chained(seq + 1, record.fields(), prev);
            ByteBuffer bytes = ByteBuffer.wrap((line.text() + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) channel.write(bytes);
            seq++;
            prev = line.hash();
            mine = seq;
        }
        synchronized (syncLock) {
            if (synced >= mine) return; // someone's fdatasync covered it
            long upTo;
            synchronized (this) {
                upTo = seq;
            }
            channel.force(false);
            synced = upTo;
        }
    }

    @Override
    public boolean required() {
        return true;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private static boolean endsWithNewline(Path path) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            if (f.length() == 0) return true;
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }

    /** The last well-formed record of the file, or null if it has none. */
    private static ChainFormat.Link lastLink(Path path) throws IOException {
        if (Files.size(path) == 0) return null;
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_READ);
            byte[] tail = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                ChainFormat.Link link = ChainFormat.parse(lines[i]);
                if (link != null) return link;
            }
            return null;
        }
    }
}
