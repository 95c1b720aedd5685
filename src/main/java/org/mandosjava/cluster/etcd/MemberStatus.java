package org.mandosjava.cluster.etcd;

import java.net.URI;

/** One etcd member's own view: who it is, who it thinks leads (0: nobody), its revision and term. */
public record MemberStatus(URI endpoint, long memberId, long leaderId, long revision, long raftTerm,
        String version) {
    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }
}
