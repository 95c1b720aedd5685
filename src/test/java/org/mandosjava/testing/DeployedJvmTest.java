package org.mandosjava.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options the launchers give the server start a JVM, with the JIT's directives read and the C heap trimmed. */
class DeployedJvmTest {
    @Test
    void theServersJvmOptionsStartAJvmWithTheCompilerDirectivesAndNothingOnStdout(@TempDir Path config)
            throws Exception {
        Files.writeString(config.resolve("clients.conf"), "");
        List<String> options = DeployedJvm.options(Path.of("").toAbsolutePath(), config);
        assertThat(options).anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile=/")
                && o.endsWith("/bin/jit-directives.json"));

        Process p = new ProcessBuilder(java(options, "-version")).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        // The parser counts what it took: a malformed file, or a pattern it rejects, fails the start
        // or adds nothing.
        assertThat(err).contains("2 compiler directives added");
        assertThat(out).isEmpty();
    }

    /** A clients.conf above 16 MiB gets G1 and its own settings: the JVM must take them, and the last one wins. */
    @Test
    void aLargeClientsConfGetsG1WithSettingsTheJvmTakes(@TempDir Path config) throws Exception {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(config.resolve("clients.conf").toFile(), "rw")) {
            f.setLength(17L << 20); // sparse: only the size is looked at
        }
        List<String> options = DeployedJvm.options(Path.of("").toAbsolutePath(), config);
        assertThat(options).contains("-XX:+UseG1GC", "-XX:GCTimeRatio=6", "-Xmx258m");

        // The flags go where the VM's output goes, stderr with these options: one stream read.
        Process p = new ProcessBuilder(java(options, "-XX:+PrintFlagsFinal", "-version")).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("bool UseG1GC += true").containsPattern("uint GCTimeRatio += 6 ")
                .containsPattern("uintx MaxHeapFreeRatio += 20 ");
    }

    @Test
    void theServersJvmHandsFreedCHeapBackToTheSystem(@TempDir Path config) throws Exception {
        Files.writeString(config.resolve("clients.conf"), "");
        List<String> options = DeployedJvm.options(Path.of("").toAbsolutePath(), config);
        Process p = new ProcessBuilder(java(options, "-Xlog:trimnative=info:stderr", "-version"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).contains("Periodic native trim enabled (interval: 2000 ms)");
    }

    /** JDK 21 has the option as a product option from 21.0.4 on; an older one would refuse to start. */
    @Test
    void aJdk21Before21_0_4GetsNoTrimOption(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("clients.conf"), "");
        Map<String, Boolean> trims = Map.of("21", false, "21.0.2", false, "21.0.3", false, "21.0.4", true,
                "21.0.10", true, "25.0.3", true);
        for (String version : trims.keySet()) {
            Path home = Files.createDirectories(dir.resolve("jdk-" + version));
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
            ProcessBuilder pb = new ProcessBuilder(Path.of("bin", "server-heap").toAbsolutePath().toString(),
                    "--configdir", dir.toString());
            pb.environment().put("JAVA_HOME", home.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out.lines().anyMatch(l -> l.equals("-XX:TrimNativeHeapInterval=2000"))).as(version)
                    .isEqualTo(trims.get(version));
            assertThat(out).as(version).contains("-Xmx");
        }
    }

    /** This runtime's java with {@code options}, then {@code more}. */
    private static List<String> java(List<String> options, String... more) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of(more));
        return command;
    }
}
