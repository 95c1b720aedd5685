package org.mandosjava.server;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Starts and stops the clients' checkers and turns how they ended into client state (spec §4).
 * Beyond the original, a checker that outlives its interval is killed. Methods taking a
 * {@link Client} run under the registry's lock; process starts and kills happen after it is
 * released.
 */
final class CheckerSupervisor {
    private static final Logger LOG = Logger.getLogger(CheckerSupervisor.class.getName());

    private final LockedRegistry registry;
    private final Scheduler scheduler;
    private final CheckerRunner runner;
    /** Where checker processes are started; by default the thread delivering events (tests). */
    private volatile Executor spawner = Runnable::run;
    private volatile Function<String, String> objectPaths = name -> null;

    CheckerSupervisor(LockedRegistry registry, Scheduler scheduler, CheckerRunner runner) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.runner = runner;
    }

    void setExecutor(Executor executor) {
        this.spawner = executor;
    }

    /** See {@link ClientRegistry#setObjectPaths}. */
    void setObjectPaths(Function<String, String> objectPaths) {
        this.objectPaths = objectPaths;
    }

    /** Starts a checker for {@code c} unless one is running (then it is left, as the original does). */
    void start(Client c) {
        if (c.runningChecker != null) return;
        String command;
        try {
            command = CheckerCommand.expand(c.checker, c.checkerAttributes(scheduler, objectPaths.apply(c.name())));
        } catch (IllegalArgumentException e) {
            // As in the original: logged each time it is due, and the check fails (the expiry stays).
            LOG.severe(c.config.file() + ":" + c.config.line() + ": checker: client [" + c.name()
                    + "]: could not format checker command \"" + c.checker + "\": " + e.getMessage());
            return;
        }
        String name = c.name();
        CheckerRun run = new CheckerRun(command);
        c.runningChecker = run;
        registry.changed(c, "CheckerRunning");
        registry.queue(new ServerEvent.CheckerStarted(name, command));
        // Starting a process takes milliseconds: do it after the lock is released.
        Executor executor = spawner;
        registry.afterUnlock(() -> {
            try {
                executor.execute(() -> spawn(name, run));
            } catch (RejectedExecutionException shuttingDown) {
                registry.withClient(name, cc -> {
                    if (cc.runningChecker == run) cc.runningChecker = null;
                });
            }
        });
        Duration limit = ClientTimers.checkerPeriod(c);
        scheduler.schedule(limit, () -> registry.withClient(name, cc -> {
            if (cc.runningChecker == run) {
                LOG.warning("Checker for " + name + " ran longer than " + limit + "; killing it");
                stop(cc);
            }
        }));
    }

    /** Stops the running checker of {@code c}, if any; its end is then no news. */
    void stop(Client c) {
        if (c.runningChecker == null) return;
        CheckerRun run = c.runningChecker;
        c.runningChecker = null;
        registry.changed(c, "CheckerRunning");
        registry.afterUnlock(run::kill);
    }

    /** Runs without the lock: starts the process and attaches it, or kills it if the client is gone. */
    private void spawn(String name, CheckerRun run) {
        LOG.fine(() -> "Starting checker '" + run.command + "' for " + name);
        CheckerRunner.Running process;
        try {
            process = runner.start(name, run.command, outcome -> ended(name, run, outcome));
        } catch (IOException e) {
            registry.withClient(name, c -> {
                if (c.runningChecker == run) {
                    c.runningChecker = null;
                    registry.changed(c, "CheckerRunning");
                }
                problem(c, "Cannot start checker for " + name + ": " + e.getMessage());
            });
            return;
        }
        boolean clientExists = registry.withClient(name, c -> run.attach(process));
        if (!clientExists) process.kill();
    }

    private void ended(String name, CheckerRun run, CheckerRunner.Outcome outcome) {
        String command = run.command;
        registry.withClient(name, c -> {
            if (c.runningChecker != run) return; // stopped on purpose; its end is no news
            c.runningChecker = null;
            registry.changed(c, "CheckerRunning");
            if (outcome.signal() != 0) {
                c.lastCheckerStatus = -1;
                c.lastCheckerSignal = outcome.signal();
                registry.changed(c, "LastCheckerStatus");
                LOG.warning("Checker for " + name + " crashed? (killed by signal " + outcome.signal() + ")");
                registry.queue(new ServerEvent.CheckerCompleted(name, -1, (-1L << 8) | outcome.signal(), command));
                return;
            }
            int status = outcome.exitCode();
            c.lastCheckerStatus = status;
            c.lastCheckerSignal = null;
            registry.changed(c, "LastCheckerStatus");
            registry.queue(new ServerEvent.CheckerCompleted(name, status, (long) status << 8, command));
            if (outcome.succeeded()) {
                LOG.fine(() -> "Checker for " + name + " succeeded");
                c.checkerProblem = null;
                registry.checkedOk(c);
            } else if (status == 126 || status == 127) {
                problem(c, "Checker for " + name + " could not run its command (exit status " + status + ": "
                        + (status == 127 ? "not found" : "not executable") + "): " + command);
            } else {
                LOG.info("Checker for " + name + " failed (exit status " + status + ")");
            }
        });
    }

    /** Logs a checker problem once per change of problem, not at every interval. */
    private static void problem(Client c, String problem) {
        if (problem.equals(c.checkerProblem)) return;
        c.checkerProblem = problem;
        LOG.warning(problem);
    }
}
