package org.mandosjava.server;

/** Observes {@link ServerEvent}s. Called on the thread that caused the event: return quickly. */
@FunctionalInterface
public interface ServerEventListener {
    void onEvent(ServerEvent event);
}
