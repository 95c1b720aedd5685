package org.mandosjava.cluster;

import java.time.Duration;
import java.util.List;

/**
 * What a server knows of its cluster: for the log, the D-Bus property on {@code /} and metrics.
 *
 * @param serverId this server
 * @param storeReachable whether the shared store answered the last request
 * @param unreachableFor how long it has not answered (zero while it answers)
 * @param applied the revision this server has applied every change up to
 * @param members every member, with its applied revision, when that last moved and whether it is present
 * @param checkerSharing store requests and records written to share checker results
 */
public record ClusterStatus(String serverId, boolean storeReachable, Duration unreachableFor, long applied,
        List<Member> members, Counters checkerSharing) {
    /** A member: its applied revision, when that last moved (wall clock), and whether it holds its presence entry. */
    public record Member(String id, long applied, java.time.Instant confirmedAt, boolean live) {}

    /** Store requests made and client records written to share checker results. */
    public record Counters(long requests, long records) {}


    /** One line per fact, for a person. */
    public String describe() {
        StringBuilder out = new StringBuilder("server " + serverId + ": store "
                + (storeReachable ? "reachable" : "unreachable for " + unreachableFor.toSeconds() + " s")
                + ", applied revision " + applied);
        for (Member m : members) {
            out.append("; ").append(m.id()).append(m.live() ? " live" : " not present").append(", applied ")
                    .append(m.applied()).append(m.confirmedAt() == null ? "" : " (" + m.confirmedAt() + ")");
        }
        return out.toString();
    }
}
