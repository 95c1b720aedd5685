package org.mandosjava.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.mandosjava.platform.IoErrors;

/**
 * The append-only JSON-lines audit file, each record chained to the one before (see
 * {@link ChainFormat}). Every record is written and fdatasync'ed before {@link #write} returns, so
 * a release record is on disk before the secret is sent.
 *
 * <p>Callers only number, chain and queue their records; one platform thread of the file's own
 * appends what is queued in one write and syncs it (group commit), while the callers wait parked.
 * File I/O on a connection's virtual thread would hold its carrier, and the runtime would add
 * carriers to make up for it. When a write or a sync fails, every record not yet on disk fails with
 * it (their callers are told), the file is cut back to its last synced record and the chain goes on
 * from there, so the file never holds a record whose caller was told it failed. An existing file is
 * continued: the chain goes on from its last well-formed record.
 */
public final class AuditFile implements AuditSink {
    /** How far from the end a file's last record is looked for. */
    private static final int TAIL_READ = 64 * 1024;
    /** How long closing waits for the records queued before it (a hung disk must not hang shutdown). */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(30);

    private final Path path;
    private final FileChannel channel;
    private final Thread writer;

    /** Guards everything below. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a record is queued or the file closes. */
    private final Condition queued = lock.newCondition();
    /** The last record numbered and its hash (the chain as callers see it). */
    private long seq;
    private String prev;
    /** The last record on disk, its hash, and the file's length up to its end. */
    private long durableSeq;
    private String durablePrev;
    private long durableLength;
    /** Lines numbered but not yet taken by the writer, and their callers, each told alone when settled. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private List<CompletableFuture<Void>> pendingCallers = new ArrayList<>();
    private boolean closed;

    private AuditFile(Path path, FileChannel channel, long seq, String prev) throws IOException {
        this.path = path;
        this.channel = channel;
        this.seq = seq;
        this.prev = prev;
        this.durableSeq = seq;
        this.durablePrev = prev;
        this.durableLength = channel.size();
        this.writer = Thread.ofPlatform().daemon().name("audit-file").start(this::writeQueued);
    }

    /** Opens (creating, mode 0640) the file at {@code path} for appending. */
    public static AuditFile open(Path path) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileChannel channel = FileChannel.open(path, options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        try {
            ChainFormat.Link last = lastLink(path);
            if (!endsWithNewline(path)) channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            return new AuditFile(path, channel, last == null ? 0 : last.seq(),
                    last == null ? ChainFormat.GENESIS : last.hash());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void write(AuditRecord record) throws IOException {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) throw new IOException(path + ": closed");
            ChainFormat.Line line = ChainFormat.chained(seq + 1, record.fields(), prev);
            pending.writeBytes((line.text() + "\n").getBytes(StandardCharsets.UTF_8));
            seq++;
            prev = line.hash();
            pendingCallers.add(settled);
            queued.signal();
        } finally {
            lock.unlock();
        }
        // Uninterruptibly (join): a caller that gave up would be refused while its record may still
        // reach the file, which would then claim a release that did not happen. Each caller is woken
        // once, when its own batch settles, not at every batch before it.
        try {
            settled.join();
        } catch (CompletionException e) {
            // The writer fails callers with the IOException of the write or sync.
            IOException failure = (IOException) e.getCause();
            throw new IOException(path + ": " + IoErrors.describe(failure), failure);
        }
    }

    /** The writer thread: appends and syncs what is queued until the file is closed and drained. */
    private void writeQueued() {
        while (true) {
            byte[] batch;
            long upToSeq;
            String upToPrev;
            List<CompletableFuture<Void>> callers;
            lock.lock();
            try {
                while (!closed && pending.size() == 0) queued.awaitUninterruptibly();
                if (pending.size() == 0) return; // closed and drained
                batch = pending.toByteArray();
                pending.reset();
                callers = pendingCallers;
                pendingCallers = new ArrayList<>();
                upToSeq = seq;
                upToPrev = prev;
            } finally {
                lock.unlock();
            }
            IOException problem = null;
            try {
                ByteBuffer bytes = ByteBuffer.wrap(batch);
                while (bytes.hasRemaining()) channel.write(bytes);
                channel.force(false);
            } catch (IOException e) {
                problem = e;
            }
            List<CompletableFuture<Void>> queuedSince = List.of();
            lock.lock();
            try {
                if (problem == null) {
                    durableSeq = upToSeq;
                    durablePrev = upToPrev;
                    durableLength += batch.length;
                } else {
                    queuedSince = failAllQueued(problem);
                }
            } finally {
                lock.unlock();
            }
            for (CompletableFuture<Void> caller : callers) settle(caller, problem);
            for (CompletableFuture<Void> caller : queuedSince) settle(caller, problem);
        }
    }

    private static void settle(CompletableFuture<Void> caller, IOException problem) {
        if (problem == null) caller.complete(null);
        else caller.completeExceptionally(problem);
    }

    /**
     * Fails every record not on disk, those queued since the batch was taken too (they are chained to
     * it), cuts the file back to its last synced record and goes on from there. Called with the lock;
     * returns the callers of the records queued since, to be told outside it.
     */
    private List<CompletableFuture<Void>> failAllQueued(IOException problem) {
        List<CompletableFuture<Void>> queuedSince = pendingCallers;
        pendingCallers = new ArrayList<>();
        pending.reset();
        seq = durableSeq;
        prev = durablePrev;
        try {
            if (channel.size() > durableLength) channel.truncate(durableLength);
        } catch (IOException e) {
            // A torn tail stays; the verifier reports it and a reopened file continues after it.
            problem.addSuppressed(e);
        }
        return queuedSince;
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
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        boolean drained = false;
        try {
            drained = writer.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel.close();
        }
        if (!drained) throw new IOException(path + ": the last records were not written within " + CLOSE_WAIT.toSeconds() + " s");
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
