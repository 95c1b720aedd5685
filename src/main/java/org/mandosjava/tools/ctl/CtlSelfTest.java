package org.mandosjava.tools.ctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** {@code --check}: the original runs its unit tests; this checks the parts that need no server. */
final class CtlSelfTest {
    private CtlSelfTest() {}

    private record Case(String what, Object actual, Object expected) {}

    static int run(PrintStream out) {
        List<Case> cases = List.of(
                new Case("P7D", CtlDurations.rfc3339("P7D"), Duration.ofDays(7)),
                new Case("PT5M30S", CtlDurations.rfc3339("PT5M30S"), Duration.ofSeconds(330)),
                new Case("P1DT3M20S", CtlDurations.rfc3339("P1DT3M20S"), Duration.ofSeconds(86600)),
                new Case("P60M", CtlDurations.rfc3339("P60M"), Duration.ofDays(1680)),
                new Case("5m 30s", CtlDurations.legacy("5m 30s"), Duration.ofSeconds(330)),
                new Case("2dxy7zz11y3m5m", CtlDurations.legacy("2dxy7zz11y3m5m"),
                        Duration.ofDays(2).plusSeconds(480).plusMillis(18)),
                new Case("1T02:03:05", ClientListing.durationText(93785000L), "1T02:03:05"),
                new Case("00:05:00", ClientListing.durationText(300000L), "00:05:00"));
        int failures = 0;
        for (Case c : cases) {
            if (!c.actual().equals(c.expected())) {
                out.println("FAIL: " + c.what() + ": got " + c.actual() + ", expected " + c.expected());
                failures++;
            }
        }
        out.println("Ran " + cases.size() + " tests");
        out.println(failures == 0 ? "OK" : "FAILED (failures=" + failures + ")");
        return failures == 0 ? CtlMain.EXIT_OK : CtlMain.EXIT_FAILURE;
    }
}
