package org.mandosjava.state;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The server's persistent state in its state directory, written crash-safely and read back with
 * damage detected.
 * <p>
 * Files: {@value #FILE_NAME} (current) and {@value #FILE_NAME}{@value #PREVIOUS_SUFFIX} (the
 * generation before it). A save writes a temporary file in the same directory, fsyncs it, makes the
 * current file the previous one (a hard link, so a current file exists at every instant), renames
 * the temporary file over the current one and fsyncs the directory. A crash at any point leaves a
 * complete current file, old or new.
 * <p>
 * Loading: a current file that is torn or corrupt is reported (a warning naming the file and the
 * problem), set aside as {@value #CORRUPT_SUFFIX} and the previous generation used; when no usable
 * generation exists but a file does, {@link #load} throws — the server must then refuse to start
 * rather than re-enable every client. Runtime secrets are decrypted with the clients.conf secrets;
 * one that no longer decrypts is dropped with a warning.
 * <p>
 * Thread-safe: saves are serialized.
 */
public final class StateStore {
    public static final String FILE_NAME = "mandos-java-state.v1";
    public static final String PREVIOUS_SUFFIX = ".prev";
    public static final String CORRUPT_SUFFIX = ".corrupt";
    private static final String TEMP_PREFIX = FILE_NAME + ".tmp-";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Logger LOG = Logger.getLogger(StateStore.class.getName());

    private final Path dir;
    private final SecretCipher cipher;
    /** Held by the server's own store (see {@link #prepareExclusive}); null otherwise. */
    private StateDirectoryLock lock;
    /** Encrypted runtime secrets by client, so an unchanged secret is not re-encrypted on every save. */
    private final Map<String, CachedSecret> encrypted = new HashMap<>();

    private record CachedSecret(byte[] plain, byte[] configSecret, byte[] message) {}

    /** What {@link #load} found. */
    public record LoadedState(SavedState state, Path file, List<String> warnings) {
        public LoadedState {
            warnings = List.copyOf(warnings);
        }
    }

    public StateStore(Path dir, SecretCipher cipher) {
        this.dir = dir;
        this.cipher = cipher;
    }

    public StateStore(Path dir) {
        this(dir, new SecretCipher());
    }

    /**
     * Creates the state directory (mode 0700) if missing, tightens an existing one to 0700 (it
     * holds which clients are disabled) and removes temporary files of an interrupted save.
     */
    public static StateStore prepare(Path dir) throws IOException {
        return prepare(dir, false);
    }

    /**
     * {@link #prepare}, for the server: first takes the directory for this process, so that a
     * second server on it stops at startup, before it touches the first one's files.
     *
     * @throws IOException also when another server holds the directory
     */
    public static StateStore prepareExclusive(Path dir) throws IOException {
        return prepare(dir, true);
    }

    private static StateStore prepare(Path dir, boolean exclusive) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // Created meanwhile by someone else: checked below like any existing directory.
            }
        }
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": state directory is not a directory");
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (!mode.equals(DIR_MODE)) {
            LOG.warning("State directory " + dir + " had mode " + PosixFilePermissions.toString(mode)
                    + "; setting rwx------");
            Files.setPosixFilePermissions(dir, DIR_MODE);  // after create too: the umask may have bitten
        }
        StateDirectoryLock lock = exclusive ? StateDirectoryLock.acquire(dir) : null;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path t : temps) Files.deleteIfExists(t);
        } catch (IOException | RuntimeException e) {
            if (lock != null) lock.close();
            throw e;
        }
        StateStore store = new StateStore(dir);
        store.lock = lock;
        return store;
    }

    /** Gives up the directory, if this store holds it (the detaching parent, before its child). */
    public void releaseDirectory() throws IOException {
        if (lock != null) lock.close();
        lock = null;
    }

    /**
     * Gives the directory and the state files in it to {@code uid}:{@code gid}; called as root
     * before dropping privileges, so that the unprivileged server can save.
     */
    public static void chown(Path dir, int uid, int gid) throws IOException {
        List<Path> paths = new ArrayList<>();
        paths.add(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FILE_NAME + "*")) {
            files.forEach(paths::add);
        }
        Path lockFile = dir.resolve(StateDirectoryLock.FILE_NAME);
        if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) paths.add(lockFile);
        for (Path p : paths) {
            Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    public Path directory() {
        return dir;
    }

    public Path currentFile() {
        return dir.resolve(FILE_NAME);
    }

    public Path previousFile() {
        return dir.resolve(FILE_NAME + PREVIOUS_SUFFIX);
    }

    public Path corruptFile() {
        return dir.resolve(FILE_NAME + CORRUPT_SUFFIX);
    }

    /**
     * Reads the saved state.
     *
     * @param configSecretByName the clients.conf secret of each client of the new configuration
     *     (null for a client no longer configured): the key of its runtime secret
     * @return empty when no state was ever saved here
     * @throws StateCorruptException when state files exist but none is usable (message names each
     *     file and its problem)
     */
    public synchronized Optional<LoadedState> load(Function<String, byte[]> configSecretByName)
            throws IOException {
        List<String> warnings = new ArrayList<>();
        Path current = currentFile();
        Path previous = previousFile();
        StateCorruptException currentProblem = null;
        if (Files.exists(current)) {
            try {
                return Optional.of(loaded(read(current), current, configSecretByName, warnings));
            } catch (StateCorruptException e) {
                currentProblem = e;
            }
        }
        if (!Files.exists(previous)) {
            if (currentProblem == null) return Optional.empty();
            throw new StateCorruptException("state file " + currentProblem.getMessage()
                    + "; no previous state file " + previous + " to fall back to", current, currentProblem);
        }
        StateFileFormat.Parsed older;
        try {
            older = read(previous);
        } catch (StateCorruptException e) {
            String first = currentProblem != null ? "state file " + currentProblem.getMessage()
                    : "state file " + current + " is missing";
            throw new StateCorruptException(first + "; previous state file " + e.getMessage()
                    + "; refusing to start from scratch", current, e);
        }
        if (currentProblem != null) {
            warnings.add("state file " + currentProblem.getMessage() + "; moved to " + corruptFile()
                    + "; using the previous state file " + previous + " saved at " + older.state().savedAt());
            Files.move(current, corruptFile(), StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } else {
            warnings.add("state file " + current + " is missing; using the previous state file " + previous
                    + " saved at " + older.state().savedAt());
        }
        return Optional.of(loaded(older, previous, configSecretByName, warnings));
    }

    private LoadedState loaded(StateFileFormat.Parsed parsed, Path file, Function<String, byte[]> configSecretByName,
            List<String> warnings) {
        Map<String, ClientSnapshot> clients = new LinkedHashMap<>(parsed.state().clients());
        parsed.encryptedSecrets().forEach((name, message) -> {
            byte[] configSecret = configSecretByName.apply(name);
            if (configSecret == null) return;  // client no longer configured: dropped by the merge anyway
            try {
                byte[] plain = cipher.decrypt(message, configSecret);
                clients.computeIfPresent(name, (n, c) -> c.withRuntimeSecret(plain));
                synchronized (this) {
                    encrypted.put(name, new CachedSecret(plain, configSecret, message));
                }
            } catch (SecretCipher.DecryptionException e) {
                warnings.add("runtime secret of client " + name + " cannot be decrypted with its clients.conf "
                        + "secret (was that secret changed?); the clients.conf secret applies");
            }
        });
        SavedState s = parsed.state();
        return new LoadedState(new SavedState(s.configAtSave(), clients, s.savedAt()), file, warnings);
    }

    private static StateFileFormat.Parsed read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StateCorruptException(file, "vanished while being read");
        }
        return StateFileFormat.decode(bytes, file);
    }

    /**
     * Saves durably: when this returns, the state survives a crash or power loss.
     *
     * @param configSecretByName the clients.conf secret of every client that has a runtime secret
     * @throws IllegalArgumentException when a client with a runtime secret has no configured secret
     *     (it could not be stored encrypted, and is never stored in clear)
     */
    public synchronized void save(SavedState state, Function<String, byte[]> configSecretByName) throws IOException {
        Map<String, CachedSecret> used = new HashMap<>();
        BiFunction<String, byte[], byte[]> encrypt = (name, plain) -> {
            byte[] configSecret = configSecretByName.apply(name);
            if (configSecret == null) {
                throw new IllegalArgumentException("client " + name
                        + " has a runtime secret but no clients.conf secret to encrypt it with");
            }
            CachedSecret cached = encrypted.get(name);
            if (cached == null || !MessageDigest.isEqual(cached.plain, plain)
                    || !MessageDigest.isEqual(cached.configSecret, configSecret)) {
                cached = new CachedSecret(plain, configSecret, cipher.encrypt(plain, configSecret));
            }
            used.put(name, cached);
            return cached.message;
        };

        Path temp = dir.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                // Streamed: 100,000 clients make an 80 MB file, never held whole in memory.
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
                StateFileFormat.write(state, encrypt, out);
                out.flush();
                ch.force(true);
            }
            encrypted.keySet().retainAll(used.keySet());
            encrypted.putAll(used);
            Path current = currentFile();
            Path previous = previousFile();
            if (Files.exists(current)) {
                Files.deleteIfExists(previous);
                Files.createLink(previous, current);
            }
            try {
                Files.move(temp, current, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(dir + ": the file system cannot rename atomically", e);
            }
            forceDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes renames and links in the directory durable (Linux allows fsync on a directory). */
    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
