package org.mandosjava.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.mandosjava.config.KeyExpiryDates;

/**
 * When a client's OpenPGP key expires ({@code key_expires}): a warning ahead of it, and refusal from
 * then on. Unlike the timeouts, this is a calendar date, read on the wall clock: a step of the wall
 * clock (NTP at boot, {@code date -s}) is honoured at the next request and at the next periodic
 * review, which runs every {@link #REVIEW_PERIOD} on the monotonic clock. The refusal follows from
 * the date alone, so it survives restarts without anything stored; only a date changed at runtime
 * (an extension) is kept in the state file. Every method but {@link #start} runs under the
 * registry's lock.
 */
final class KeyExpiryPolicy {
    private static final Logger LOG = Logger.getLogger(KeyExpiryPolicy.class.getName());
    /** The reason of the refusal, in the Rejected signal and the log. */
    static final String REASON = "key expired";
    /** How often every client is looked at (warnings, and noticing an expiry without a request). */
    static final Duration REVIEW_PERIOD = Duration.ofHours(1);
    /** How often the warning about one client is repeated. */
    static final Duration WARNING_REPEAT = Duration.ofDays(1);

    private final LockedRegistry registry;
    private final Scheduler scheduler;
    private Scheduler.Cancellable reviews;

    KeyExpiryPolicy(LockedRegistry registry, Scheduler scheduler) {
        this.registry = registry;
        this.scheduler = scheduler;
    }

    /** Reviews every client now and then every {@link #REVIEW_PERIOD}; {@code clients} is read under the lock. */
    void start(Supplier<Collection<Client>> clients) {
        clients.get().forEach(this::review);
        reviews = scheduler.scheduleAtFixedRate(REVIEW_PERIOD, REVIEW_PERIOD,
                () -> registry.locked(() -> clients.get().forEach(this::review)));
    }

    void stop() {
        if (reviews != null) reviews.cancel();
        reviews = null;
    }

    /** Whether {@code c}'s key has expired, by the wall clock now. */
    boolean expired(Client c) {
        return expired(c, scheduler.now());
    }

    /** Whether {@code c}'s key has expired at {@code now} (also asked while a request waits for approval). */
    static boolean expired(Client c, Instant now) {
        return c.keyExpires != null && !now.isBefore(c.keyExpires);
    }

    /** The refusal of a client whose key expired: the Rejected event and the decision. */
    Decision refuse(Client c, String peer) {
        review(c);
        registry.queue(new ServerEvent.Rejected(c.name(), peer, REASON));
        return new Decision.Refuse(c.name(), REASON);
    }

    /**
     * Logs at WARNING what is due about {@code c}'s key: once when it has expired, and within its
     * warning time before that at most once per {@link #WARNING_REPEAT} (on the monotonic clock).
     */
    void review(Client c) {
        if (c.keyExpires == null || c.removed) return;
        Instant now = scheduler.now();
        String name = c.name();
        String date = KeyExpiryDates.format(c.keyExpires);
        if (!now.isBefore(c.keyExpires)) {
            if (c.keyExpiryLogged) return;
            c.keyExpiryLogged = true;
            registry.afterUnlock(() -> LOG.warning("Client " + name + ": its key expired at " + date
                    + "; it is refused until its keys are rotated or its key_expires is extended"));
            return;
        }
        c.keyExpiryLogged = false; // the clock stepped back, or the date moved: log it again when it comes
        if (now.isBefore(c.keyExpires.minus(c.keyExpiryWarning))) return;
        if (c.nextKeyWarning != null && !c.nextKeyWarning.passed(scheduler)) return;
        c.nextKeyWarning = Deadline.after(scheduler, WARNING_REPEAT);
        String left = left(Duration.between(now, c.keyExpires));
        registry.afterUnlock(() -> LOG.warning("Client " + name + ": its key expires at " + date + " (in " + left
                + "); rotate its keys (mandos-keygen, new section, SIGHUP) or extend its key_expires"));
    }

    /** A new date for {@code c}'s key (an extension, or a new section): warnings start over. */
    void dateChanged(Client c) {
        c.nextKeyWarning = null;
        c.keyExpiryLogged = false;
        review(c);
    }

    private static String left(Duration d) {
        long days = d.toDays();
        if (days > 0) return days + (days == 1 ? " day" : " days");
        long hours = d.toHours();
        if (hours > 0) return hours + (hours == 1 ? " hour" : " hours");
        return Math.max(1, d.toMinutes()) + " minutes";
    }
}
