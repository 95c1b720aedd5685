package org.mandosjava.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Debian {@code mandos-client}, run once against a given address. It retries forever when
 * it gets nothing, so every run is bounded by {@code timeout(1)}: a run that ends by timeout got no
 * password.
 */
final class RealClient {
    private RealClient() {}

    static ProcessRunner.Result fetch(String connect, KeyMaterial keys, Path tlsPubkey, Path tlsPrivkey,
            Duration limit) throws IOException, InterruptedException {
        Peers.require(Peers.MANDOS_CLIENT);
        Path hooks = Files.createDirectories(keys.dir.resolve("network-hooks.d"));
        List<String> command = new ArrayList<>(List.of("timeout", "--kill-after=5",
                Long.toString(limit.toSeconds()), Peers.MANDOS_CLIENT.toString(),
                "--interface=none", "--connect=" + connect,
                "--pubkey=" + keys.pubkey(), "--seckey=" + keys.seckey(),
                "--tls-pubkey=" + tlsPubkey, "--tls-privkey=" + tlsPrivkey,
                "--network-hook-dir=" + hooks));
        return ProcessRunner.run(command, limit.plusSeconds(20));
    }

    static ProcessRunner.Result fetch(String connect, KeyMaterial keys, Duration limit)
            throws IOException, InterruptedException {
        return fetch(connect, keys, keys.tlsPubkey(), keys.tlsPrivkey(), limit);
    }
}
