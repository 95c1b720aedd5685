package org.mandosjava.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The C floor server (shared/tools/floor-server beside the project): the least work any Mandos server
 * must do per unlock, as a third column. It is built when the benchmark runs, never by the project's
 * own build, and serves the same clients as the other servers from a table written out of clients.conf.
 */
record FloorServer(Path binary) implements Servers.Kind {
    private static final String SOURCE = "shared/tools/floor-server";
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(2);

    /** The floor server built, or why not: exactly one of the two is present. */
    record Built(Optional<FloorServer> kind, String problem) {}

    @Override
    public String label() {
        return "floor";
    }

    @Override
    public List<String> command(Path configDir, Path stateDir, int port) {
        try {
            Path table = writeTable(configDir.resolve("clients.conf"), stateDir.resolve("floor-table"));
            return List.of(binary.toString(), "-a", Servers.LISTEN_V4, "-p", Integer.toString(port), "-t", table.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the floor server's table", e);
        }
    }

    /** Builds it with its own Makefile into target/floor of the project; the reason if it cannot. */
    static Built build(Path home, Path runDir) {
        Optional<Path> source = findSource(home);
        if (source.isEmpty()) {
            return new Built(Optional.empty(), "not run: " + SOURCE + " is not beside the project (looked in "
                    + home.toAbsolutePath().normalize().getParent() + " and beside the main checkout of a worktree)");
        }
        Path out = home.resolve("target").resolve("floor");
        try {
            RealClientKeys.run(runDir, List.of("make", "-s", "-C", source.get().toString(), "OUT=" + out,
                    out.resolve("floor-server").toString()), BUILD_LIMIT);
        } catch (IOException e) {
            return new Built(Optional.empty(), "not run: floor-server could not be built (" + e.getMessage()
                    + "; it needs make, gcc, pkg-config and libgnutls28-dev)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Built(Optional.empty(), "not run: interrupted while building floor-server");
        }
        Path binary = out.resolve("floor-server");
        if (!Files.isExecutable(binary)) return new Built(Optional.empty(), "not run: make left no " + binary);
        return new Built(Optional.of(new FloorServer(binary)), null);
    }

    /**
     * ../shared beside the project; in a git worktree the project directory is elsewhere, so also
     * beside the main checkout named by the worktree's .git file.
     */
    static Optional<Path> findSource(Path home) {
        List<Path> candidates = new ArrayList<>();
        Path abs = home.toAbsolutePath().normalize();
        if (abs.getParent() != null) candidates.add(abs.getParent().resolve(SOURCE));
        Path dotGit = abs.resolve(".git");
        if (Files.isRegularFile(dotGit)) {
            try {
                String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
                if (line.startsWith("gitdir:")) {
                    Path gitDir = abs.resolve(line.substring("gitdir:".length()).strip()).normalize();
                    // <main>/.git/worktrees/<name>
                    Path main = gitDir.getParent() == null || gitDir.getParent().getParent() == null ? null
                            : gitDir.getParent().getParent().getParent();
                    if (main != null && main.getParent() != null) candidates.add(main.getParent().resolve(SOURCE));
                }
            } catch (IOException e) {
                // Not a worktree we can read: only the first candidate applies.
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("floor-server.c"))).findFirst();
    }

    /**
     * "KEY_ID BLOBFILE" per client of a clients.conf as {@link ClientsConfWriter} writes it (key_id on
     * one line, the base64 secret on indented lines after {@code secret =}); blobs are written raw.
     */
    static Path writeTable(Path clientsConf, Path table) throws IOException {
        Path blobs = Files.createDirectories(table.resolveSibling(table.getFileName() + "-blobs"));
        StringBuilder lines = new StringBuilder();
        String keyId = null;
        StringBuilder secret = null;
        int n = 0;
        for (String line : Files.readAllLines(clientsConf, StandardCharsets.US_ASCII)) {
            boolean continuation = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (secret != null && continuation) {
                secret.append(line.strip());
                continue;
            }
            if (secret != null) {
                n = addEntry(lines, blobs, n, keyId, secret.toString());
                secret = null;
            }
            if (line.startsWith("[")) keyId = null;
            else if (line.startsWith("key_id")) keyId = line.substring(line.indexOf('=') + 1).strip();
            else if (line.startsWith("secret") && keyId != null) secret = new StringBuilder(
                    line.substring(line.indexOf('=') + 1).strip());
        }
        if (secret != null) addEntry(lines, blobs, n, keyId, secret.toString());
        Files.writeString(table, lines, StandardCharsets.US_ASCII);
        return table;
    }

    private static int addEntry(StringBuilder lines, Path blobs, int n, String keyId, String base64)
            throws IOException {
        Path blob = blobs.resolve(Integer.toString(n));
        Files.write(blob, Base64.getMimeDecoder().decode(base64));
        lines.append(keyId).append(' ').append(blob).append('\n');
        return n + 1;
    }
}
