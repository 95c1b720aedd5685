package org.mandosjava.tools.keygen;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The default key name: {@code hostname --fqdn}, else {@code hostname}, as mandos-keygen uses. */
final class HostName {
    private static final long TIMEOUT_SECONDS = 10;

    private HostName() {}

    static String fullyQualified() {
        for (String[] command : new String[][] {{"hostname", "--fqdn"}, {"hostname"}}) {
            String name = run(command);
            if (!name.isEmpty()) return name;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "";
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                return "";
            }
            return process.exitValue() == 0 ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
