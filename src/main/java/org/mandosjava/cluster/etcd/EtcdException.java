package org.mandosjava.cluster.etcd;

import java.net.URI;

/**
 * A call to etcd that did not do its work. The {@link Kind} says what a caller can do about it; a
 * transaction whose comparison failed is not an exception but a {@link TxnResult} with
 * {@code succeeded() == false}.
 */
public final class EtcdException extends Exception {
    /** What went wrong, as far as the caller is concerned. */
    public enum Kind {
        /** No endpoint could be reached, or the member has no leader (quorum lost). */
        UNAVAILABLE,
        /** No answer within the call's timeout, or the stream went silent beyond its bound. */
        TIMEOUT,
        /** The requested revision was compacted away: re-read everything, then watch from there. */
        COMPACTED,
        /** Authentication failed (wrong user or password, bad certificate) or permission denied. */
        AUTH,
        /** The lease (or other named thing) does not exist, for instance because it expired. */
        NOT_FOUND,
        /** etcd refused the request for another reason (too large, invalid, ...). */
        REJECTED,
        /** The client or watch was closed, or the calling thread was interrupted. */
        CLOSED
    }

    private final Kind kind;
    private final long compactRevision;
    private final boolean outcomeUnknown;
    private final transient URI endpoint;

    EtcdException(Kind kind, String message, URI endpoint, boolean outcomeUnknown, long compactRevision,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.endpoint = endpoint;
        this.outcomeUnknown = outcomeUnknown;
        this.compactRevision = compactRevision;
    }

    EtcdException(Kind kind, String message, URI endpoint) {
        this(kind, message, endpoint, false, -1, null);
    }

    static EtcdException compacted(long compactRevision, URI endpoint) {
        return new EtcdException(Kind.COMPACTED, "revision compacted (oldest kept: " + compactRevision + ")",
                endpoint, false, compactRevision, null);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * For {@link Kind#COMPACTED}: the compaction revision etcd reported (a watch may restart at it
     * after re-reading), or -1 when etcd did not say (a range at an old revision).
     */
    public long compactRevision() {
        return compactRevision;
    }

    /**
     * True when a write was sent but no answer came back: it may or may not have been applied. Use a
     * compare-and-swap or re-read to find out; never assume either way.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** The endpoint the failure happened on, or null when it concerns all of them. */
    public URI endpoint() {
        return endpoint;
    }
}
