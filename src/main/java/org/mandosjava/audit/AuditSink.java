package org.mandosjava.audit;

import java.io.IOException;

/** Where audit records go. {@link #write} returns once the record is as durable as this sink makes it. */
public interface AuditSink extends AutoCloseable {
    void write(AuditRecord record) throws IOException;

    /** Whether a release must stop when this sink cannot take its record (the durable file). */
    default boolean required() {
        return false;
    }

    /** What the sink writes to, for messages. */
    String describe();

    @Override
    default void close() throws IOException {}
}
