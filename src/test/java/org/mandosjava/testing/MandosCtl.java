package org.mandosjava.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Runs the real Debian {@code mandos-ctl} or ours against a server on a {@link PrivateSystemBus}. */
public final class MandosCtl {
    public static final Path REAL = Path.of("/usr/sbin/mandos-ctl");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?");

    private MandosCtl() {}

    public static CommandResult real(PrivateSystemBus bus, String... args) throws IOException, InterruptedException {
        Peers.require(REAL, "mandos");
        List<String> command = new ArrayList<>(List.of(REAL.toString()));
        command.addAll(List.of(args));
        return CommandResult.run(command, TIMEOUT, bus.environment());
    }

    public static CommandResult ours(PrivateSystemBus bus, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(OurTools.command("mandos-ctl"));
        command.addAll(List.of(args));
        return CommandResult.run(command, TIMEOUT, bus.environment());
    }

    /**
     * Output with every timestamp's digits replaced by {@code N} (length kept, so table columns
     * still line up): the only thing two runs of the same scenario may differ in.
     */
    public static String masked(String output) {
        return TIMESTAMP.matcher(output).replaceAll(m -> m.group().replaceAll("\\d", "N"));
    }

    /**
     * Output with the clients in name order: the Python server lists them in hash order, which
     * changes from run to run. Table rows after the header are sorted; so are the top-level members
     * of a JSON dump (each one's trailing comma dropped first).
     */
    public static String sortedClients(String output) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        if (lines.isEmpty()) return output;
        String end = output.endsWith("\n") ? "\n" : "";
        if (lines.get(0).equals("{")) {
            List<String> blocks = new ArrayList<>();
            StringBuilder block = null;
            for (String line : lines.subList(1, lines.size() - 1)) {
                if (line.startsWith("    \"")) block = new StringBuilder();
                block.append(line.equals("    },") ? "    }" : line).append('\n');
                if (line.startsWith("    }")) blocks.add(block.toString());
            }
            blocks.sort(null);
            return "{\n" + String.join("", blocks) + lines.get(lines.size() - 1) + end;
        }
        if (!lines.get(0).startsWith("Name ")) return output;
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        rows.sort(null);
        return lines.get(0) + "\n" + String.join("\n", rows) + (rows.isEmpty() ? "" : "\n");
    }
}
