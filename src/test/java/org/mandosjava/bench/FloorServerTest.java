package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorServerTest {
    @TempDir
    Path dir;

    @Test
    void tableGivesEveryConfiguredKeyItsDecodedSecretAndSkipsNothing() throws Exception {
        SecureRandom random = new SecureRandom();
        List<BenchClient> clients = BenchClient.generate(3, random);
        Path config = dir.resolve("config");
        new ClientsConfWriter().write(config, clients, 0, null, random);

        Path table = FloorServer.writeTable(config.resolve("clients.conf"), dir.resolve("floor-table"));

        List<String> lines = Files.readAllLines(table);
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String[] parts = lines.get(i).split(" ");
            assertThat(parts[0]).isEqualToIgnoringCase(clients.get(i).keyId());
            assertThat(Files.readAllBytes(Path.of(parts[1]))).isEqualTo(clients.get(i).secret());
        }
    }

    @Test
    void sourceIsFoundBesideTheProjectOrNotAtAll() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        assertThat(FloorServer.findSource(project)).isEmpty();
        Path source = Files.createDirectories(dir.resolve("shared/tools/floor-server"));
        Files.writeString(source.resolve("floor-server.c"), "");
        assertThat(FloorServer.findSource(project)).contains(source);
    }

    @Test
    void withoutTheSourceTheColumnSaysWhyItDidNotRun() throws Exception {
        Path project = Files.createDirectories(dir.resolve("lonely/project"));

        FloorServer.Built built = FloorServer.build(project, Files.createDirectories(dir.resolve("run")));

        assertThat(built.kind()).isEmpty();
        assertThat(built.problem()).startsWith("not run: shared/tools/floor-server is not beside the project");
    }

    @Test
    void aWorktreeFindsTheSourceBesideItsMainCheckout() throws Exception {
        Path main = Files.createDirectories(dir.resolve("repo/main/.git/worktrees/floor"));
        Path source = Files.createDirectories(dir.resolve("repo/shared/tools/floor-server"));
        Files.writeString(source.resolve("floor-server.c"), "");
        Path worktree = Files.createDirectories(dir.resolve("elsewhere/floor"));
        Files.writeString(worktree.resolve(".git"), "gitdir: " + main + "\n");
        assertThat(FloorServer.findSource(worktree)).contains(source);
    }
}
