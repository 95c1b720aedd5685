package org.mandosjava.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A client's key directory, laid out as mandos-keygen makes it: {@code pubkey.txt} and
 * {@code seckey.txt} (OpenPGP), {@code tls-pubkey.pem} and {@code tls-privkey.pem}.
 * Files are written owner-only (0600) and replaced files are first kept as numbered backups
 * ({@code seckey.txt.~1~}, like {@code cp --backup=numbered}).
 */
public record KeyDirectory(Path dir) {
    /** Where mandos-keygen 1.8.16 puts keys, and where it looks when that does not exist. */
    public static final Path DEFAULT = Path.of("/etc/keys/mandos");
    public static final Path FALLBACK = Path.of("/etc/mandos/keys");

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    /** The keygen's default directory: {@link #DEFAULT} unless it is absent. */
    public static KeyDirectory systemDefault() {
        return new KeyDirectory(Files.isDirectory(DEFAULT) ? DEFAULT : FALLBACK);
    }

    public Path publicKey() {
        return dir.resolve("pubkey.txt");
    }

    public Path secretKey() {
        return dir.resolve("seckey.txt");
    }

    public Path tlsPublicKey() {
        return dir.resolve("tls-pubkey.pem");
    }

    public Path tlsPrivateKey() {
        return dir.resolve("tls-privkey.pem");
    }

    public List<Path> keyFiles() {
        return List.of(secretKey(), publicKey(), tlsPrivateKey(), tlsPublicKey());
    }

    /** Whether any key file already exists (mandos-keygen then wants {@code --force}). */
    public boolean hasKeyFiles() {
        return keyFiles().stream().anyMatch(f -> Files.exists(f, LinkOption.NOFOLLOW_LINKS));
    }

    /** Creates the directory (0700) if it is missing. */
    public void create() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        }
    }

    /** Writes {@code file} readable by its owner only, backing up what was there. */
    public static void writePrivately(Path file, byte[] content) throws IOException {
        backUp(file);
        Path parent = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(parent, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_FILE));
        try {
            Files.write(temporary, content, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Copies an existing {@code file} to {@code file.~N~}, N one more than the highest backup
     * number present; does nothing if {@code file} does not exist.
     *
     * @return the backup, or null
     */
    public static Path backUp(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return null;
        Path backup = file.resolveSibling(file.getFileName() + ".~" + (highestBackupNumber(file) + 1) + "~");
        Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return backup;
    }

    private static int highestBackupNumber(Path file) throws IOException {
        Pattern numbered = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.~(\\d+)~");
        Path parent = file.toAbsolutePath().getParent();
        int highest = 0;
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                Matcher m = numbered.matcher(sibling.getFileName().toString());
                if (m.matches() && m.group(1).length() < 10) highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return highest;
    }
}
