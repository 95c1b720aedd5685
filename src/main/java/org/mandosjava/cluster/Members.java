package org.mandosjava.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The other servers as this one sees them: each member's applied revision, whether it holds its
 * presence entry, and since when it does not. Updated from the watch and from reads; a caller's
 * change waits here for every member to confirm it.
 */
final class Members {
    private record Member(String id, long applied, Instant confirmedAt, boolean live, long goneSince) {}

    /** How often a waiting change reads the members again, in case this server's own watch lags. */
    private static final Duration REREAD = Duration.ofMillis(250);

    private final String self;
    private final Duration strictAfter;
    private final Map<String, Member> members = new TreeMap<>();

    Members(String self, Duration strictAfter) {
        this.self = self;
        this.strictAfter = strictAfter;
    }

    synchronized void update(SharedState.Snapshot s, long now) {
        for (String id : List.copyOf(members.keySet())) {
            if (!s.members().containsKey(id)) members.remove(id);
        }
        s.members().forEach((id, applied) -> applied(id, applied));
        for (Member m : List.copyOf(members.values())) presence(m.id(), s.live().contains(m.id()), now);
        notifyAll();
    }

    synchronized void on(SharedState.Event e, long now) {
        switch (e) {
            case SharedState.MemberChanged m -> applied(m.server(), m.applied());
            case SharedState.MemberLeft m -> members.remove(m.server());
            case SharedState.PresenceChanged p -> presence(p.server(), true, now);
            case SharedState.PresenceLost p -> presence(p.server(), false, now);
            default -> { return; }
        }
        notifyAll();
    }

    private void applied(String id, long applied) {
        Member m = members.get(id);
        if (m != null && m.applied() == applied) return;
        boolean live = m == null || m.live();
        members.put(id, new Member(id, applied, Instant.now(), live, m == null ? 0 : m.goneSince()));
    }

    private void presence(String id, boolean live, long now) {
        Member m = members.get(id);
        if (m == null) {
            if (live) members.put(id, new Member(id, 0, null, true, 0));
            return;
        }
        if (m.live() == live) return;
        members.put(id, new Member(id, m.applied(), m.confirmedAt(), live, live ? 0 : now));
    }

    synchronized List<ClusterStatus.Member> all() {
        return members.values().stream()
                .map(m -> new ClusterStatus.Member(m.id(), m.applied(), m.confirmedAt(), m.live())).toList();
    }

    /**
     * The members that have not applied {@code revision}, described for the caller; a member gone
     * longer than strict mode's limit is not waited for (it stopped serving by itself).
     */
    synchronized List<String> unconfirmed(long revision, long now) {
        List<String> out = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.id().equals(self) || m.applied() >= revision) continue;
            if (!m.live() && strictAfter != null && now - m.goneSince() > strictAfter.toNanos()) continue;
            out.add(m.live() ? m.id() + " (applied up to revision " + m.applied() + ")"
                    : m.id() + " (no presence in the store" + (m.confirmedAt() == null ? ""
                            : "; last confirmed " + m.confirmedAt()) + ")");
        }
        return out;
    }

    /**
     * Waits until every member has applied {@code revision}, up to {@code timeout}; reads the
     * members again now and then with {@code reread}.
     *
     * @return the members that did not confirm (empty: all did)
     */
    List<String> awaitConfirmed(long revision, Duration timeout, Reread reread) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextRead = start + REREAD.toNanos();
        // Once read after the commit: a member that joined before it may not have reached this view yet.
        boolean readSinceCommit = false;
        while (true) {
            long now = System.nanoTime();
            List<String> missing = unconfirmed(revision, now);
            if (missing.isEmpty() && !readSinceCommit) {
                readSinceCommit = true;
                SharedState.Snapshot s = reread.members();
                if (s != null) update(s, now);
                continue;
            }
            if (missing.isEmpty() || now - deadline >= 0) return missing;
            if (now - nextRead >= 0) {
                nextRead = now + REREAD.toNanos();
                SharedState.Snapshot s = reread.members();
                if (s != null) update(s, now);
                continue;
            }
            synchronized (this) {
                long waitNanos = Math.min(deadline - now, nextRead - now);
                if (waitNanos > 0 && !unconfirmed(revision, now).isEmpty()) {
                    wait(Math.max(1, waitNanos / 1_000_000), 0);
                }
            }
        }
    }

    /** Reads the members from the store; null when it cannot be reached. */
    @FunctionalInterface
    interface Reread {
        SharedState.Snapshot members();
    }
}
