package org.mandosjava.server;

import org.mandosjava.config.ClientConfig;

/**
 * One configured client and its runtime state. The configuration is immutable; the state is guarded
 * by this object's monitor, and only {@link ClientRegistry} changes it.
 */
public final class Client {
    private final ClientConfig config;
    private boolean enabled;

    Client(ClientConfig config) {
        this.config = config;
        this.enabled = config.enabled();
    }

    public String name() {
        return config.name();
    }

    public String keyId() {
        return config.keyId();
    }

    public ClientConfig config() {
        return config;
    }

    public synchronized boolean isEnabled() {
        return enabled;
    }

    synchronized void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public String toString() {
        return "Client[" + name() + "]";
    }
}
