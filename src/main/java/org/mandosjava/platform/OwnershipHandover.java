package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Gives a directory and some of its files to another user, as root, without being tricked into
 * giving away something else. The directory's current owner may have planted a symbolic link or a
 * hard link to a root-owned file under an expected name: so the directory is opened without
 * following links, each file is opened relative to that descriptor without following links, the
 * opened file is checked to be a regular file with a single link, and the <em>descriptor</em> is
 * chowned ({@code fchown}), never a name.
 */
public final class OwnershipHandover {
    private static final int ELOOP = 40;
    private static final int ENOENT = 2;
    private static final int FILE_FLAGS = LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | 0x800 /* O_NONBLOCK */
            | 0x100 /* O_NOCTTY */;

    private OwnershipHandover() {}

    /**
     * Chowns {@code dir} and its entries whose names {@code include} accepts to {@code uid:gid}.
     *
     * @return one message per entry left alone (a link, or not a regular file), to log as warnings
     * @throws IOException if the directory is a symbolic link or cannot be opened or chowned
     */
    public static List<String> chownDirectory(Path dir, Predicate<String> include, int uid, int gid)
            throws IOException {
        LibC libc = LibC.INSTANCE;
        int dirFd;
        try {
            dirFd = libc.openat(-100 /* AT_FDCWD */, dir.toString(),
                    LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            // O_NOFOLLOW with O_DIRECTORY reports a symbolic link as ENOTDIR.
            if (e.getErrorCode() == ELOOP || Files.isSymbolicLink(dir)) {
                throw new IOException(dir + " is a symbolic link; give the directory's own path");
            }
            throw new IOException("cannot open " + dir + ": " + NativePosix.failure("open", e).getMessage());
        }
        List<String> skipped = new ArrayList<>();
        try {
            fchown(dirFd, dir, uid, gid);
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (include.test(name)) names.add(name);
                }
            }
            for (String name : names) {
                String problem = chownEntry(dirFd, dir, name, uid, gid);
                if (problem != null) skipped.add(dir.resolve(name) + ": " + problem + "; left alone, owner unchanged");
            }
        } finally {
            libc.close(dirFd);
        }
        return skipped;
    }

    /** @return why the entry was not chowned, or null if it was (or has gone meanwhile) */
    private static String chownEntry(int dirFd, Path dir, String name, int uid, int gid) throws IOException {
        LibC libc = LibC.INSTANCE;
        int fd;
        try {
            fd = libc.openat(dirFd, name, FILE_FLAGS);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) return null;
            if (e.getErrorCode() == ELOOP) return "a symbolic link";
            throw new IOException("cannot open " + dir.resolve(name) + ": "
                    + NativePosix.failure("open", e).getMessage());
        }
        try {
            // The descriptor's file, whatever name it has now.
            Map<String, Object> attributes = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:mode,nlink");
            int mode = (Integer) attributes.get("mode");
            int links = (Integer) attributes.get("nlink");
            if ((mode & 0170000) != 0100000) return "not a regular file";
            if (links != 1) return "has " + links + " hard links";
            fchown(fd, dir.resolve(name), uid, gid);
            return null;
        } finally {
            libc.close(fd);
        }
    }

    private static void fchown(int fd, Path what, int uid, int gid) throws IOException {
        try {
            LibC.INSTANCE.fchown(fd, uid, gid);
        } catch (LastErrorException e) {
            throw new IOException("cannot give " + what + " to uid " + Integer.toUnsignedString(uid) + ": "
                    + NativePosix.failure("fchown", e).getMessage());
        }
    }
}
