package org.mandosjava.server;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client's checker schedule and expiry (spec §4 timer table): when checkers are due and when a
 * client without a successful check is disabled. Every method runs under the registry's lock; the
 * timer tasks take it through {@link LockedRegistry#withClient}.
 */
final class ClientTimers {
    /** A zero interval would be a busy loop (it is one in the original); checkers run at most this often. */
    static final Duration MIN_CHECKER_PERIOD = Duration.ofMillis(100);

    private final LockedRegistry registry;
    private final Scheduler scheduler;

    ClientTimers(LockedRegistry registry, Scheduler scheduler) {
        this.registry = registry;
        this.scheduler = scheduler;
    }

    static Duration checkerPeriod(Client c) {
        return c.interval.compareTo(MIN_CHECKER_PERIOD) < 0 ? MIN_CHECKER_PERIOD : c.interval;
    }

    /**
     * Arms a client's timers. At startup the first checker runs after a random delay in [0, interval],
     * the expiry is at delay + interval, and when that first checker starts the expiry becomes at
     * least one interval away and checkers repeat every interval from then on. After an enable,
     * checkers run every interval from now and the expiry is two intervals away.
     */
    void init(Client c, boolean randomDelay) {
        cancel(c);
        Duration interval = checkerPeriod(c);
        String name = c.name();
        Duration delay;
        if (randomDelay) {
            delay = Duration.ofMillis(ThreadLocalRandom.current().nextLong(interval.toMillis() + 1));
            c.checkerTimer = scheduler.schedule(delay, () -> firstCheck(name));
        } else {
            delay = interval;
            c.checkerTimer = scheduler.scheduleAtFixedRate(delay, interval, () -> periodicCheck(name));
        }
        c.expiry = Deadline.after(scheduler, delay.plus(c.interval));
        registry.changed(c, "Expires");
        scheduleDisable(c);
    }

    /**
     * Arms the timers of a client the server's start left for a later turn ({@link
     * Client#timersPending}), as a start arms them. The other methods here call it first (or, as
     * {@link #init} and {@link #cancel}, replace it; the registry calls it before it changes the
     * interval that {@link #intervalChanged} then reads), so a client's timers come out as if they
     * had been armed before anything else happened to it: a secret sent before its turn extends the
     * expiry its start set, as it would have.
     */
    void armPending(Client c) {
        if (!c.timersPending) return;
        c.timersPending = false;
        if (c.enabled && !registry.closed()) init(c, true);
    }

    void cancel(Client c) {
        // Armed and cancelled at once would leave nothing either.
        c.timersPending = false;
        if (c.disableTimer != null) c.disableTimer.cancel();
        if (c.checkerTimer != null) c.checkerTimer.cancel();
        c.disableTimer = null;
        c.checkerTimer = null;
    }

    /** The expiry becomes {@code by} from now (a successful check, a secret sent). */
    void bumpTimeout(Client c, Duration by) {
        armPending(c);
        if (!c.enabled) return;
        c.expiry = Deadline.after(scheduler, by);
        registry.changed(c, "Expires");
        scheduleDisable(c);
    }

    /** The timeout changed from {@code old}: a pending expiry moves by the difference (spec §4). */
    void timeoutChanged(Client c, Duration old) {
        armPending(c);
        if (!c.enabled || c.expiry == null) return;
        c.expiry = c.expiry.plus(c.timeout.minus(old));
        registry.changed(c, "Expires");
        if (c.expiry.passed(scheduler)) registry.disable(c, "its new timeout has passed");
        else scheduleDisable(c);
    }

    /** The interval changed: a running schedule restarts at once with the new one (spec §4). */
    void intervalChanged(Client c) {
        if (!c.enabled || c.checkerTimer == null || registry.closed()) return;
        c.checkerTimer.cancel();
        Duration period = checkerPeriod(c);
        String name = c.name();
        c.checkerTimer = scheduler.scheduleAtFixedRate(period, period, () -> periodicCheck(name));
        registry.checkerDue(c);
    }

    private void firstCheck(String name) {
        registry.withClient(name, c -> {
            if (!c.enabled || registry.closed()) return;
            Duration interval = checkerPeriod(c);
            c.checkerTimer = scheduler.scheduleAtFixedRate(interval, interval, () -> periodicCheck(name));
            Deadline floor = Deadline.after(scheduler, c.interval);
            if (c.expiry != null && c.expiry.isBefore(floor)) {
                c.expiry = floor;
                registry.changed(c, "Expires");
                scheduleDisable(c);
            }
            registry.checkerDue(c);
        });
    }

    private void periodicCheck(String name) {
        registry.withClient(name, c -> {
            if (c.enabled) registry.checkerDue(c);
        });
    }

    /**
     * Disables {@code c} at its expiry; a timer that finds the expiry still ahead is armed again. A
     * closed registry arms nothing: the expiry is only recorded, and the next start arms it anew.
     */
    private void scheduleDisable(Client c) {
        if (c.disableTimer != null) c.disableTimer.cancel();
        c.disableTimer = null;
        if (registry.closed()) return;
        String name = c.name();
        c.disableTimer = scheduler.schedule(c.expiry.remaining(scheduler), () -> registry.withClient(name, cc -> {
            if (!cc.enabled || cc.expiry == null) return;
            if (cc.expiry.passed(scheduler)) registry.disable(cc, "no successful check within its timeout");
            else scheduleDisable(cc);
        }));
    }
}
