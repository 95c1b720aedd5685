package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDaemonTest {
    @TempDir Path tmp;

    @Test
    void theDaemonRunsWithThisJvmsOptionsButNotItsCacheOrCheck() throws IOException {
        List<String> self = List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xmx225m",
                "-XX:AOTCache=/var/cache/mandos-java/server.aot", "-Dmandos.check.aot-cache=/var/cache/x.aot",
                "-Dmandos.check.fetches=300", "-Dmandos.lifeline=other", "-Djna.nounpack=true", "-cp",
                "/usr/lib/mandos-java/mandos-java.jar", "org.mandosjava.Launcher", "mandos", "--check");
        List<String> command = TrainingDaemon.command("/rt/bin/java", self, Path.of("/w/server.aot"),
                List.of("--foreground", "--port", "1234"));
        assertThat(command).containsExactly("/rt/bin/java", "-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xmx225m",
                "-Djna.nounpack=true", "-cp", "/usr/lib/mandos-java/mandos-java.jar",
                "-XX:AOTCacheOutput=/w/server.aot", "-Dmandos.lifeline=stdin", "org.mandosjava.Launcher", "mandos",
                "--foreground", "--port", "1234");
    }

    @Test
    void aJvmNotStartedAsTheLauncherCannotStartTheDaemonTheSameWay() {
        assertThatThrownBy(() -> TrainingDaemon.command("java", List.of("-jar", "mandos.jar", "--check"),
                Path.of("/w/server.aot"), List.of())).isInstanceOf(IOException.class).hasMessageContaining("launcher");
        assertThatThrownBy(() -> TrainingDaemon.command("java", List.of("-cp", "j", "org.mandosjava.Launcher",
                "mandos-ctl"), Path.of("/w/server.aot"), List.of())).isInstanceOf(IOException.class);
    }

    @Test
    void theCacheIsCopiedToANewFileReadableByAll() throws IOException {
        Path made = Files.write(tmp.resolve("made.aot"), new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rw-------"));
        Path target = tmp.resolve("server.aot");
        Files.write(target, new byte[] {9});
        TrainingDaemon.install(made, target);
        assertThat(target).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(Files.isSameFile(made, target)).isFalse();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("made.aot", "server.aot");
        }
    }

    /** The daemon's account owns the directory it writes in: what it leaves there may point elsewhere. */
    @Test
    void aLinkOrAFileWithAnotherNameIsRefused() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret"), "root's");
        Path target = tmp.resolve("server.aot");
        Path symlink = Files.createSymbolicLink(tmp.resolve("sym.aot"), secret);
        assertThatThrownBy(() -> TrainingDaemon.install(symlink, target)).isInstanceOf(IOException.class);
        Path hardLink = Files.createLink(tmp.resolve("hard.aot"), secret);
        assertThatThrownBy(() -> TrainingDaemon.install(hardLink, target)).isInstanceOf(IOException.class)
                .hasMessageContaining("one name");
        assertThat(target).doesNotExist();
    }
}
