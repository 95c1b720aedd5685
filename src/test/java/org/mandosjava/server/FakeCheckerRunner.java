package org.mandosjava.server;

import java.util.ArrayList;
import java.util.List;

/** Records checker starts; the test decides how and when each one ends. */
final class FakeCheckerRunner extends CheckerRunner {
    final class Run implements Running {
        final String client;
        final String command;
        final Completion completion;
        boolean killed;

        Run(String client, String command, Completion completion) {
            this.client = client;
            this.command = command;
            this.completion = completion;
        }

        void exit(int status) {
            completion.ended(new Outcome(status, 0));
        }

        void killedBy(int signal) {
            completion.ended(new Outcome(-1, signal));
        }

        @Override public void kill() {
            killed = true;
        }
    }

    final List<Run> runs = new ArrayList<>();

    @Override
    public synchronized Running start(String clientName, String command, Completion completion) {
        Run run = new Run(clientName, command, completion);
        runs.add(run);
        return run;
    }

    synchronized Run last() {
        return runs.get(runs.size() - 1);
    }

    synchronized long startsFor(String client) {
        return runs.stream().filter(r -> r.client.equals(client)).count();
    }
}
