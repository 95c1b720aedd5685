package org.mandosjava.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Approval of secret requests (spec §5.7): the wait for a decision, the decision itself, and its
 * lapse after {@code approval_duration}. Every method runs under the registry's lock; the wait
 * releases it while it sleeps and while it asks whether the peer is still there.
 */
final class Approvals {
    private static final Logger LOG = Logger.getLogger(Approvals.class.getName());
    /** How often a connection waiting for approval checks that its peer is still there. */
    static final Duration PEER_CHECK_INTERVAL = Duration.ofMillis(500);

    private final LockedRegistry registry;
    private final Scheduler scheduler;

    Approvals(LockedRegistry registry, Scheduler scheduler) {
        this.registry = registry;
        this.scheduler = scheduler;
    }

    /**
     * What a peer that proved to be {@code c} gets, waiting for a decision if {@code c} needs one.
     * Unlike the original, the wait ends as soon as {@code peerAlive} says the peer left.
     */
    Decision decide(Client c, String peer, BooleanSupplier peerAlive) throws InterruptedException {
        boolean counted = !c.approvalDelay.isZero();
        if (counted && c.approvalsPending++ == 0) registry.changed(c, "ApprovalPending");
        try {
            return waitForDecision(c, peer, peerAlive);
        } finally {
            if (counted && --c.approvalsPending == 0) registry.changed(c, "ApprovalPending");
        }
    }

    private Decision waitForDecision(Client c, String peer, BooleanSupplier peerAlive) throws InterruptedException {
        Duration remaining = c.approvalDelay;
        long announcedVersion = -1;
        while (true) {
            if (c.removed || !c.enabled) {
                LOG.info("Client " + c.name() + " is disabled");
                return refuse(c, peer, "Disabled");
            }
            if (KeyExpiryPolicy.expired(c, scheduler.now())) { // it expired, or was brought forward, meanwhile
                LOG.info("Client " + c.name() + ": its key expired while waiting for approval");
                return refuse(c, peer, KeyExpiryPolicy.REASON);
            }
            if (Boolean.TRUE.equals(c.approved)) return send(c);
            if (Boolean.FALSE.equals(c.approved)) {
                LOG.warning("Client " + c.name() + " was not approved");
                return refuse(c, peer, "Denied");
            }
            if (remaining.isZero() || remaining.isNegative()) {
                if (c.approvedByDefault) return send(c);
                LOG.warning("Client " + c.name() + " timed out while waiting for approval");
                return refuse(c, peer, "Approval timed out");
            }
            if (announcedVersion != c.version) {
                announcedVersion = c.version;
                LOG.info("Client " + c.name() + " needs approval");
                c.lastApprovalRequest = scheduler.now();
                registry.changed(c, "LastApprovalRequest");
                registry.queue(new ServerEvent.NeedApproval(c.name(), c.approvalDelay, c.approvedByDefault));
                // Tell listeners now, not at the next wake-up; then look at the state afresh.
                registry.whileUnlocked(() -> true);
                continue;
            }
            long waitStart = scheduler.nanoTime();
            Duration timeLeft = remaining;
            // The wake-up comes from the scheduler, so waits follow the injected clock in tests.
            Scheduler.Cancellable wake = scheduler.schedule(timeLeft, () -> registry.locked(c.changed::signalAll));
            try {
                long seen = c.version;
                c.changed.await(PEER_CHECK_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
                if (c.version == seen && !elapsed(waitStart, timeLeft)) {
                    // A slice ended with nothing new: see whether the peer is still there, unlocked.
                    if (!registry.whileUnlocked(peerAlive)) {
                        LOG.info("Client " + c.name() + " went away while waiting for approval");
                        registry.queue(new ServerEvent.PeerLeft(c.name(), peer));
                        return new Decision.Abandoned(c.name());
                    }
                }
            } finally {
                wake.cancel();
            }
            remaining = remaining.minusNanos(scheduler.nanoTime() - waitStart);
        }
    }

    private boolean elapsed(long since, Duration limit) {
        return scheduler.nanoTime() - since >= limit.toNanos();
    }

    private static Decision send(Client c) {
        return new Decision.Send(c.name(), c.secretToSend());
    }

    private Decision refuse(Client c, String peer, String reason) {
        registry.queue(new ServerEvent.Rejected(c.name(), peer, reason));
        return new Decision.Refuse(c.name(), reason);
    }

    /** Approves (true) or denies (false) current requests and those within {@code approval_duration}. */
    void approve(Client c, boolean approved) {
        c.approved = approved;
        c.approvalEnd = Deadline.after(scheduler, c.approvalDuration);
        c.touch();
        scheduleReset(c);
        registry.saveNeeded(true); // a denial lost in a crash could become a default approval
        registry.queue(new ServerEvent.ApprovalDecided(c.name(), approved));
        LOG.info("Client " + c.name() + (approved ? " approved" : " denied"));
    }

    /**
     * The decision in force lapses at {@code approvalEnd}; a restored one keeps its end. A closed
     * registry only records the end, which the next start restores.
     */
    void scheduleReset(Client c) {
        cancel(c);
        if (c.approved == null || registry.closed()) return;
        String name = c.name();
        Deadline until = c.approvalEnd;
        c.approvalReset = scheduler.schedule(until.remaining(scheduler),
                () -> registry.withClient(name, cc -> {
                    if (until.equals(cc.approvalEnd)) {
                        cc.approved = null;
                        cc.approvalEnd = null;
                        registry.saveNeeded(false);
                    }
                }));
    }

    void cancel(Client c) {
        if (c.approvalReset != null) c.approvalReset.cancel();
        c.approvalReset = null;
    }
}
