package org.mandosjava.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run our programs from the packaged jar, as the bin/ scripts do. */
public final class OurTools {
    private OurTools() {}

    /** The packaged jar; set by failsafe ({@code mandos.jar}). */
    public static Path jar() {
        String jar = System.getProperty("mandos.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("mandos.jar is not set or missing (" + jar + "): run with mvn verify");
        }
        return Path.of(jar);
    }

    /** {@code java -cp JAR org.mandosjava.Launcher TOOL}, with this JVM's java. */
    public static List<String> command(String tool) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", jar().toString(),
                "org.mandosjava.Launcher", tool));
        return command;
    }
}
