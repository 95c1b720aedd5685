package org.mandosjava.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The server's jar (what ships) carries the server and its tools, and neither the benchmark nor
 * any test tooling: {@code LeftoverProcesses} signals every process naming a string, which must
 * never run on a key server.
 */
class ServerJarContentsIT {

    @Test
    void serverJarHoldsNoBenchmarkAndNoTestTooling() throws Exception {
        Path jar = Path.of(System.getProperty("mandos.jar", "target/mandos-java.jar"));
        assertThat(jar).as("the packaged server jar").isRegularFile();
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).contains("org/mandosjava/Launcher.class", "org/mandosjava/cli/ServerMain.class",
                "org/mandosjava/tools/ctl/CtlMain.class");
        assertThat(entries).noneMatch(e -> e.startsWith("org/mandosjava/bench/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/mandosjava/testing/"));
        assertThat(entries).noneMatch(e -> e.endsWith("/LeftoverProcesses.class"));
    }

    @Test
    void testJarHoldsTheBenchmarkForBinMandosBench() throws Exception {
        Path target = Path.of(System.getProperty("mandos.jar", "target/mandos-java.jar")).getParent();
        Path testJar;
        try (var files = Files.list(target)) {
            testJar = files.filter(p -> p.getFileName().toString().matches("mandos-java-.*-tests\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no test jar in " + target));
        }
        try (JarFile file = new JarFile(testJar.toFile())) {
            assertThat(file.getEntry("org/mandosjava/bench/BenchMain.class")).isNotNull();
            assertThat(file.getEntry("org/mandosjava/testing/LeftoverProcesses.class")).isNotNull();
        }
    }
}
