package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handing a directory over as root when its owner may have planted links to root's files under the
 * names we chown. Needs root (CI runs as root and must not skip).
 */
class OwnershipHandoverTest {
    private static final int NOBODY = 65534;

    @TempDir Path tmp;
    Path dir;
    Path rootFile;

    @BeforeEach
    void setUp() throws IOException {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(Privileges.isRoot()).as("CI runs the tests as root").isTrue();
        } else {
            assumeThat(Privileges.isRoot()).as("needs root").isTrue();
        }
        dir = Files.createDirectories(tmp.resolve("state"));
        rootFile = Files.writeString(Files.createDirectories(tmp.resolve("etc")).resolve("shadow"), "root's");
    }

    @Test
    void plantedSymbolicAndHardLinksKeepTheirTargetsOwnedByRoot() throws IOException {
        Files.createSymbolicLink(dir.resolve("mandos-java-state.v1"), rootFile);
        Files.createLink(dir.resolve("mandos-java-state.v1.tmp"), rootFile);
        Files.writeString(dir.resolve("mandos-java-state.v1.prev"), "ours");
        Files.writeString(dir.resolve("other"), "not ours");

        List<String> skipped = OwnershipHandover.chownDirectory(dir, n -> n.startsWith("mandos-java"), NOBODY, NOBODY);

        assertThat(uid(rootFile)).as("target of both links").isZero();
        assertThat(uid(dir.resolve("mandos-java-state.v1"))).as("the link itself").isZero();
        assertThat(uid(dir)).isEqualTo(NOBODY);
        assertThat(uid(dir.resolve("mandos-java-state.v1.prev"))).isEqualTo(NOBODY);
        assertThat(uid(dir.resolve("other"))).as("not one of ours").isZero();
        assertThat(skipped).hasSize(2)
                .anySatisfy(s -> assertThat(s).contains("mandos-java-state.v1:").contains("symbolic link"))
                .anySatisfy(s -> assertThat(s).contains("mandos-java-state.v1.tmp").contains("2 hard links"));
    }

    @Test
    void aFileThisProcessHoldsLockedStaysLocked() throws IOException {
        Path lockFile = dir.resolve("mandos-java.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            long inode = (Long) Files.getAttribute(lockFile, "unix:ino");

            OwnershipHandover.chownDirectory(dir, n -> n.startsWith("mandos-java"), NOBODY, NOBODY);

            assertThat(uid(lockFile)).isEqualTo(NOBODY);
            // The kernel drops a process's fcntl lock when any descriptor of the file is closed.
            String pid = Long.toString(ProcessHandle.current().pid());
            assertThat(Files.readAllLines(Path.of("/proc/locks")))
                    .anyMatch(l -> l.contains(" " + pid + " ") && l.contains(":" + inode + " "));
        }
    }

    @Test
    void aDirectoryThatIsASymbolicLinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), rootFile.getParent());
        assertThatThrownBy(() -> OwnershipHandover.chownDirectory(link, n -> true, NOBODY, NOBODY))
                .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
        assertThat(uid(rootFile.getParent())).isZero();
        assertThat(uid(rootFile)).isZero();
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
