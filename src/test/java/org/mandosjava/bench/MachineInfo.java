package org.mandosjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on: they mean little without it. */
final class MachineInfo {
    private MachineInfo() {}

    static String describe(String mode) {
        StringBuilder s = new StringBuilder("# mandos-bench compare (").append(mode).append(")\n\n");
        s.append("- date: ").append(Instant.now()).append('\n');
        s.append("- CPUs: ").append(Runtime.getRuntime().availableProcessors()).append(" × ")
                .append(firstValue("/proc/cpuinfo", "model name")).append('\n');
        s.append("- memory: ").append(firstValue("/proc/meminfo", "MemTotal")).append('\n');
        s.append("- load average at start: ").append(read("/proc/loadavg")).append('\n');
        s.append("- kernel: ").append(System.getProperty("os.version")).append('\n');
        s.append("- JDK: ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        s.append("- Python server: ").append(output(List.of(Servers.PYTHON_SERVER, "--version")))
                .append(", ").append(output(List.of("python3", "--version"))).append('\n');
        s.append("- the load generator runs on the same CPUs as the server under test\n");
        return s.toString();
    }

    /** The CPUs this process may run on (its affinity), as the kernel lists them. */
    static String allowedCpus() {
        return firstValue("/proc/self/status", "Cpus_allowed_list");
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.isEmpty() ? "?" : out.lines().findFirst().orElse("?");
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
