package org.mandosjava.server;

/**
 * One checker run, from the decision to start it (under the registry's lock) to its end. The process
 * is attached once started; a kill that comes first is remembered and applied then. Its own monitor
 * guards the process, since kills run after the registry's lock is released.
 */
final class CheckerRun {
    final String command;
    private CheckerRunner.Running process;
    private boolean killRequested;

    CheckerRun(String command) {
        this.command = command;
    }

    synchronized void attach(CheckerRunner.Running started) {
        process = started;
        if (killRequested) started.kill();
    }

    synchronized void kill() {
        killRequested = true;
        if (process != null) process.kill();
    }
}
