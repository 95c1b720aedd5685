package org.mandosjava.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.PrivateSystemBus;

/** Client keys and a clients.conf shared by the D-Bus tests. */
final class DBusFixture {
    static final byte[] ALPHA_PASSWORD = "alpha's password".getBytes(StandardCharsets.UTF_8);
    /** Long enough that no randomly delayed first checker runs during a test; short enough for GLib's
     * 32-bit millisecond timers in the Python server (delay + interval < 49 days). */
    static final String DEFAULTS = "[DEFAULT]\nchecker = true\ninterval = P20D\n\n";
    private static final Duration POLL_DEADLINE = Duration.ofSeconds(40);
    private static final long POLL_PAUSE_MS = 100;

    private DBusFixture() {}

    /** A client key pair made in-process (small RSA: fast), and its section for {@code name}. */
    static Keys keys(Path dir, String name) throws IOException {
        return Keys.writeInProcess(dir, name, 1024);
    }

    /**
     * alpha (a real key; waits 30 s for approval, denied by default), beta and gamma.x-y (keys no
     * peer has), delta (disabled).
     */
    static String clientsConf(Keys alpha) throws IOException, InterruptedException {
        String alphaSection = alpha.clientsConfSection(Keys.Keygen.OURS, "alpha", ALPHA_PASSWORD);
        return DEFAULTS + alphaSection + "approval_delay = PT30S\napproved_by_default = False\n\n"
                + fake("beta", "B") + "host = beta.example\ntimeout = PT1H\n\n"
                + fake("gamma.x-y", "C") + "extended_timeout = P1DT2H3M4S\n\n"
                + fake("delta", "D") + "enabled = False\napproval_duration = PT10S\n\n";
    }

    private static String fake(String name, String hexDigit) {
        return "[" + name + "]\nkey_id = " + hexDigit.repeat(64) + "\nfingerprint = " + hexDigit.repeat(40)
                + "\nsecret = c2VjcmV0\n";
    }

    /** Polls {@code mandos-ctl --dump-json CLIENT} until its output satisfies {@code condition}. */
    static String awaitJson(PrivateSystemBus bus, String client, Predicate<String> condition, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            CommandResult r = MandosCtl.real(bus, "--dump-json", client);
            last = r.stdoutText();
            if (r.exitStatus() == 0 && condition.test(last)) return last;
            Thread.sleep(POLL_PAUSE_MS); // polling, bounded by the deadline
        }
        throw new AssertionError("timed out waiting for " + what + "; last state:\n" + last);
    }
}
