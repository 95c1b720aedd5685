package org.mandosjava.zeroconf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A client's keys made by the real {@code mandos-keygen}, and its clients.conf section. */
record ClientKeys(Path dir, String name, String password, String clientsConfSection) {

    static ClientKeys create(Path dir, String name, String password) throws Exception {
        Files.createDirectories(dir);
        Cmd.run(Duration.ofMinutes(3), List.of("mandos-keygen", "--dir", dir.toString(), "--force"))
                .orThrow(List.of("mandos-keygen"));
        Path passfile = dir.resolve("passfile");
        Files.writeString(passfile, password);
        String section = Cmd.run(Duration.ofMinutes(1), List.of("mandos-keygen", "--dir", dir.toString(),
                "--passfile", passfile.toString(), "--name", name, "--no-ssh"))
                .orThrow(List.of("mandos-keygen --passfile")).stdout();
        Files.delete(passfile);
        return new ClientKeys(dir, name, password, section);
    }

    /**
     * The real client, discovering servers by Zeroconf on {@code iface} only (no {@code --connect}),
     * in namespace {@code ns}, stopped by {@code timeout} if it never gets the password.
     */
    Daemon startClient(Path logDir, String ns, String iface, Duration limit) throws Exception {
        Path hooks = logDir.resolve("no-network-hooks");
        Files.createDirectories(hooks);
        List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5",
                limit.toSeconds() + "s", Peers.MANDOS_CLIENT.toString(), "--debug",
                "--interface=" + iface, "--network-hook-dir=" + hooks,
                "--pubkey=" + dir.resolve("pubkey.txt"), "--seckey=" + dir.resolve("seckey.txt"),
                "--tls-pubkey=" + dir.resolve("tls-pubkey.pem"),
                "--tls-privkey=" + dir.resolve("tls-privkey.pem")));
        return Daemon.start("mandos-client-" + ns, logDir, java.util.Map.of(), NetnsPair.in(ns, command));
    }
}
