package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>A file this process already has open (the state directory's lock file) is changed through
 * that descriptor: opening and closing a second one would release the process's {@code fcntl} lock
 * on it, which the kernel drops when <em>any</em> descriptor of the file is closed.
 */
public final class OwnershipHandover {
    private static final int ELOOP = 40;
    private static final int ENOENT = 2;
    /** Without following a link, and without blocking on a FIFO or taking a terminal planted there. */
    private static final int FILE_FLAGS = LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK
            | LibC.O_NOCTTY;

    private OwnershipHandover() {}

    /**
     * Chowns {@code dir} and its entries whose names {@code include} accepts to {@code uid:gid}.
     *
     * @return one message per entry left alone (a link, or not a regular file), to log as warnings
     * @throws IOException if the directory is a symbolic link or cannot be opened or chowned
     */
    public static List<String> chownDirectory(Path dir, Predicate<String> include, int uid, int gid)
            throws IOException {
        int dirFd;
        try {
            dirFd = LibC.openat(-100 /* AT_FDCWD */, dir.toString(),
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
            Map<String, Integer> open = openFiles();
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (include.test(name)) names.add(name);
                }
            }
            for (String name : names) {
                String problem = chownEntry(dirFd, dir, name, uid, gid, open);
                if (problem != null) skipped.add(dir.resolve(name) + ": " + problem + "; left alone, owner unchanged");
            }
        } finally {
            LibC.close(dirFd);
        }
        return skipped;
    }

    /** @return why the entry was not chowned, or null if it was (or has gone meanwhile) */
    private static String chownEntry(int dirFd, Path dir, String name, int uid, int gid, Map<String, Integer> open)
            throws IOException {
        Integer held = open.get(identity(dir.resolve(name), LinkOption.NOFOLLOW_LINKS));
        if (held != null) return chownOpen(held, dir.resolve(name), uid, gid);
        int fd;
        try {
            fd = LibC.openat(dirFd, name, FILE_FLAGS);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) return null;
            if (e.getErrorCode() == ELOOP) return "a symbolic link";
            throw new IOException("cannot open " + dir.resolve(name) + ": "
                    + NativePosix.failure("open", e).getMessage());
        }
        try {
            return chownOpen(fd, dir.resolve(name), uid, gid);
        } finally {
            LibC.close(fd);
        }
    }

    /** Checks and chowns the file open as {@code fd}, whatever name it has now. */
    private static String chownOpen(int fd, Path what, int uid, int gid) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:mode,nlink");
        int mode = (Integer) attributes.get("mode");
        int links = (Integer) attributes.get("nlink");
        if ((mode & 0170000) != 0100000) return "not a regular file";
        if (links != 1) return "has " + links + " hard links";
        fchown(fd, what, uid, gid);
        return null;
    }

    /** This process's open descriptors by the identity (device and inode) of what they refer to. */
    private static Map<String, Integer> openFiles() throws IOException {
        Map<String, Integer> open = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String identity = identity(fd);
                if (identity != null) open.putIfAbsent(identity, Integer.parseInt(fd.getFileName().toString()));
            }
        }
        return open;
    }

    /** "device:inode" of the file (or of the link itself with NOFOLLOW_LINKS); null if it is gone. */
    private static String identity(Path path, LinkOption... options) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino", options);
            return a.get("dev") + ":" + a.get("ino");
        } catch (IOException e) {
            return null;
        }
    }

    private static void fchown(int fd, Path what, int uid, int gid) throws IOException {
        try {
            LibC.fchown(fd, uid, gid);
        } catch (LastErrorException e) {
            throw new IOException("cannot give " + what + " to uid " + Integer.toUnsignedString(uid) + ": "
                    + NativePosix.failure("fchown", e).getMessage());
        }
    }
}
