package org.mandosjava.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drops privileges for real, in a child JVM (the test JVM must stay root). Needs root: skipped
 * otherwise, except under CI=true, where CI runs as root and this must not be skipped.
 */
class PrivilegesIT {
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @Test
    void dropsEveryThreadOfTheJvmToTheUnprivilegedAccount() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(Privileges.isRoot()).as("CI runs the tests as root").isTrue();
        } else {
            assumeThat(Privileges.isRoot()).as("needs root").isTrue();
        }
        long[] expected = expectedAccount();
        String uid = Long.toString(expected[0]);
        String gid = Long.toString(expected[1]);

        Map<String, String> out = runProbe();

        assertThat(out).containsEntry("outcome", "DROPPED").containsEntry("uid", uid).containsEntry("gid", gid);
        // Real, effective, saved and filesystem ids, for the process and for a thread that existed
        // before the drop, seen both from outside and from inside that thread.
        for (String who : List.of("process", "task", "thread")) {
            assertThat(out.get(who + ".Uid:")).as(who + " uids").isEqualTo(String.join(" ", uid, uid, uid, uid));
            assertThat(out.get(who + ".Gid:")).as(who + " gids").isEqualTo(String.join(" ", gid, gid, gid, gid));
            assertThat(out.get(who + ".Groups:")).as(who + " supplementary groups").isIn("", gid);
        }
        assertThat(out.get("setuid0")).as("setuid(0) after the drop").isEqualTo("errno 1");
    }

    /** uid and gid of the first of _mandos, mandos, nobody, found with getent, not with our code. */
    static long[] expectedAccount() throws Exception {
        for (String[] candidate : new String[][] {{"_mandos", "_mandos"}, {"mandos", "mandos"}, {"nobody", "nogroup"}}) {
            String passwd = getent("passwd", candidate[0]);
            if (passwd.isEmpty()) continue;
            String[] user = passwd.split(":");
            String group = getent("group", candidate[1]);
            return new long[] {Long.parseLong(user[2]), Long.parseLong(group.isEmpty() ? user[3] : group.split(":")[2])};
        }
        throw new AssertionError("none of _mandos, mandos, nobody exists on this machine");
    }

    private static String getent(String database, String key) throws Exception {
        Process p = new ProcessBuilder("getent", database, key).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "";
    }

    private static Map<String, String> runProbe() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // No hsperfdata file: the JVM could not delete it at exit once it is no longer root.
        Process child = new ProcessBuilder(java, "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DropPrivilegesProbe.class.getName()).redirectErrorStream(true).start();
        try {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("probe finished").isTrue();
            assertThat(child.exitValue()).as("probe exit status; output:%n%s", output).isZero();
            Map<String, String> values = new HashMap<>();
            for (String line : output.split("\n")) {
                int eq = line.indexOf('=');
                int colon = line.indexOf(':');
                if (eq > 0 && (colon < 0 || eq < colon)) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                } else if (colon > 0) {
                    // "process.Uid: 104 104 104 104" -> key "process.Uid:"
                    values.put(line.substring(0, colon + 1), line.substring(colon + 1).strip());
                }
            }
            assertThat(values).as("probe output:%n%s", output).doesNotContainKey("error");
            return values;
        } finally {
            child.destroyForcibly();
        }
    }
}
