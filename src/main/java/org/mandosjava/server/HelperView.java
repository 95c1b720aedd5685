package org.mandosjava.server;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the registry's helpers may do: the lock's bookkeeping from {@link ClientLock}, the decisions
 * from {@link ClientRegistry}. Every call but withClient and locked comes with the lock held.
 */
final class HelperView implements LockedRegistry {
    private final ClientLock lock;
    private final ClientRegistry registry;

    HelperView(ClientLock lock, ClientRegistry registry) {
        this.lock = lock;
        this.registry = registry;
    }

    @Override public boolean withClient(String name, Consumer<Client> action) {
        return registry.withClient(name, action);
    }

    @Override public void locked(Runnable action) {
        lock.locked(action);
    }

    @Override public boolean whileUnlocked(BooleanSupplier question) {
        return lock.whileUnlocked(question);
    }

    @Override public void changed(Client c, String... properties) {
        lock.changed(c, properties);
    }

    @Override public void saveNeeded(boolean durable) {
        lock.saveNeeded(durable);
    }

    @Override public void queue(ServerEvent event) {
        lock.queue(event);
    }

    @Override public void afterUnlock(Runnable action) {
        lock.afterUnlock(action);
    }

    @Override public boolean closed() {
        return registry.closed();
    }

    @Override public void disable(Client c, String reason) {
        registry.disable(c, reason);
    }

    @Override public void checkerDue(Client c) {
        registry.checkerDue(c);
    }

    @Override public void checkedOk(Client c) {
        registry.checkedOk(c);
    }
}
