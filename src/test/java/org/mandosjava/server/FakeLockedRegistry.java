package org.mandosjava.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.mandosjava.config.ClientConfig;

/** The registry as a helper sees it, recording what the helper asks for; for testing one helper alone. */
final class FakeLockedRegistry implements LockedRegistry {
    final ReentrantLock lock = new ReentrantLock();
    final Map<String, Client> clients = new LinkedHashMap<>();
    final List<String> changes = new CopyOnWriteArrayList<>();
    final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final List<String> disabled = new CopyOnWriteArrayList<>();
    final List<String> due = new CopyOnWriteArrayList<>();
    final List<String> checkedOk = new CopyOnWriteArrayList<>();
    final List<Boolean> saves = new CopyOnWriteArrayList<>();
    private final List<Runnable> afterUnlock = new ArrayList<>();
    volatile boolean closed;

    Client add(ClientConfig config, Instant now) {
        Client c = new Client(config, lock.newCondition(), now);
        clients.put(c.name(), c);
        return c;
    }

    @Override public boolean closed() {
        return closed;
    }

    @Override public boolean withClient(String name, Consumer<Client> action) {
        lock.lock();
        try {
            Client c = clients.get(name);
            if (c == null) return false;
            action.accept(c);
            return true;
        } finally {
            unlock();
        }
    }

    @Override public void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            unlock();
        }
    }

    @Override public boolean whileUnlocked(BooleanSupplier question) {
        unlock();
        try {
            return question.getAsBoolean();
        } finally {
            lock.lock();
        }
    }

    private void unlock() {
        lock.unlock();
        if (lock.isHeldByCurrentThread()) return;
        List<Runnable> run;
        synchronized (afterUnlock) {
            run = new ArrayList<>(afterUnlock);
            afterUnlock.clear();
        }
        run.forEach(Runnable::run);
    }

    @Override public void changed(Client c, String... properties) {
        for (String p : properties) changes.add(c.name() + ":" + p);
    }

    @Override public void saveNeeded(boolean durable) {
        saves.add(durable);
    }

    @Override public void queue(ServerEvent event) {
        events.add(event);
    }

    @Override public void afterUnlock(Runnable action) {
        synchronized (afterUnlock) {
            afterUnlock.add(action);
        }
    }

    @Override public void disable(Client c, String reason) {
        disabled.add(c.name());
        c.enabled = false;
    }

    @Override public void checkerDue(Client c) {
        due.add(c.name());
    }

    @Override public void checkedOk(Client c) {
        checkedOk.add(c.name());
    }
}
