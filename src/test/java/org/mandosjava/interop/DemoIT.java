package org.mandosjava.interop;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Peers;
import org.mandosjava.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: {@code mandos --demo} makes a client on first use and prints commands
 * that fetch its password; both printed commands (our client and the real one) must work as printed.
 */
class DemoIT {
    @TempDir Path tmp;

    @Test
    void theDemoPrintsCommandsThatFetchThePassword() throws Exception {
        Peers.require(Peers.REAL_CLIENT, "mandos-client");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(ServerProcess.command(List.of("--demo", "--port", Integer.toString(port))));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MANDOS_DEMO_DIR", tmp.resolve("demo").toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process demo = builder.start();
        try {
            List<String> output = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("Either prints:")) break;
                assertThat(System.nanoTime()).as("demo output so far: %s", output).isLessThan(deadline);
            }
            assertThat(output).anyMatch(l -> l.startsWith("First run: making a demo client's keys"));
            List<String> fetches = printedCommands(output);
            assertThat(fetches).hasSize(2);
            for (String fetch : fetches) {
                var result = CommandResult.run(List.of("timeout", "60", "bash", "-c", fetch), Duration.ofSeconds(90), java.util.Map.of());
                assertThat(result.stdoutText()).as("%s\n%s", fetch, result.stderr()).isEqualTo("Mandos demo password\n");
            }
        } finally {
            demo.destroy();
            demo.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Each printed command: a line ending in a backslash continued until one that does not. */
    static List<String> printedCommands(List<String> output) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = null;
        for (String line : output) {
            String text = line.strip();
            if (current == null && text.contains("mandos-client") && text.endsWith("\\")) current = new StringBuilder();
            if (current == null) continue;
            current.append(text.endsWith("\\") ? text.substring(0, text.length() - 1) : text).append(' ');
            if (!text.endsWith("\\")) {
                commands.add(current.toString().strip());
                current = null;
            }
        }
        return commands;
    }
}
