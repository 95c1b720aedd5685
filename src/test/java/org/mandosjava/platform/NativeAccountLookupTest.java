package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The accounts glibc reports, read field by field from its structures, against what getent(1)
 * prints for the same names: a field read at a wrong offset shows as a wrong name, id or home.
 */
class NativeAccountLookupTest {
    private final NativeAccountLookup lookup = new NativeAccountLookup();

    @Test
    void usersAsGetentReportsThem() throws Exception {
        List<String[]> entries = getent("passwd", "root", "nobody", "_mandos", "daemon");
        assertThat(entries).as("getent passwd knows root at least").isNotEmpty();
        for (String[] e : entries) {
            assertThat(lookup.user(e[0])).as(e[0]).contains(new UserEntry(e[0], Integer.parseUnsignedInt(e[2]),
                    Integer.parseUnsignedInt(e[3]), e[5]));
        }
    }

    @Test
    void groupsAsGetentReportsThem() throws Exception {
        List<String[]> entries = getent("group", "root", "nogroup", "_mandos", "daemon");
        assertThat(entries).as("getent group knows root at least").isNotEmpty();
        for (String[] e : entries) {
            assertThat(lookup.group(e[0])).as(e[0]).contains(new GroupEntry(e[0], Integer.parseUnsignedInt(e[2])));
        }
    }

    @Test
    void unknownNamesAreEmpty() {
        assertThat(lookup.user("no-such-user-mandos-test")).isEqualTo(Optional.empty());
        assertThat(lookup.group("no-such-group-mandos-test")).isEqualTo(Optional.empty());
    }

    /** The entries getent(1) finds among {@code names} (it skips the unknown ones), split at colons. */
    private static List<String[]> getent(String database, String... names) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("getent", database));
        command.addAll(List.of(names));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().filter(l -> !l.isBlank()).map(l -> l.split(":", -1)).toList();
    }
}
