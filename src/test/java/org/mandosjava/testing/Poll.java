package org.mandosjava.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting for a condition by polling it against a deadline (never a fixed sleep to win a race). */
public final class Poll {
    public static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {}

    /** Polls {@code condition} until it is true or {@code timeout} passes; whether it became true. */
    public static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(INTERVAL.toMillis());
        }
        return true;
    }
}
