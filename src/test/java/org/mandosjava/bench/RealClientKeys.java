package org.mandosjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys for the real mandos-client, made by the real mandos-keygen, and the clients.conf section
 * that gives it {@code password}.
 */
record RealClientKeys(Path dir, String section) {

    static RealClientKeys generate(Path runDir, String prefix, String password) throws IOException, InterruptedException {
        Path keys = Files.createDirectories(runDir.resolve(prefix + "-keys"));
        run(runDir, List.of("mandos-keygen", "--dir", keys.toString(), "--force"), Duration.ofMinutes(3));
        Path passfile = runDir.resolve(prefix + "-pass");
        Files.writeString(passfile, password);
        try {
            String section = run(runDir, List.of("mandos-keygen", "--dir", keys.toString(), "--passfile",
                    passfile.toString(), "--name", "realclient", "--no-ssh"), Duration.ofMinutes(1));
            return new RealClientKeys(keys, section);
        } finally {
            Files.delete(passfile);
        }
    }

    /** Runs a tool to its end; its standard output. Its errors go to the run's tools.log. */
    static String run(Path runDir, List<String> command, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(
                runDir.resolve("tools.log").toFile())).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            Servers.stop(p.toHandle());
            throw new IOException(command.get(0) + " took longer than " + limit);
        }
        if (p.exitValue() != 0) throw new IOException(command.get(0) + " failed; see " + runDir.resolve("tools.log"));
        return new String(out, StandardCharsets.UTF_8);
    }
}
