package org.mandosjava.cli;

import java.io.IOException;

/**
 * Cleanup for a part of {@code --check} that must not outlive it: run by {@link #close()}, or by a
 * shutdown hook if the JVM ends first. A signal (an administrator's Ctrl-C) ends the JVM without
 * running the {@code finally} blocks of its threads, but with its shutdown hooks.
 */
final class ExitCleanup implements AutoCloseable {
    /** The cleanup itself. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    private final Action action;
    private final Thread hook;

    /** Registers {@code action} to run at exit, on a thread named {@code name}, until closed. */
    ExitCleanup(String name, Action action) {
        this.action = action;
        this.hook = new Thread(() -> {
            try {
                action.run();
            } catch (IOException e) {
                // This JVM is ending: there is no one left to tell.
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs the cleanup now, unless the JVM is already ending: then its hook runs it. */
    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        action.run();
    }
}
