package org.mandosjava.interop;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosClients;
import org.mandosjava.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ConnectionLimits;
import org.mandosjava.server.MandosServer;
import org.mandosjava.server.SystemScheduler;

/**
 * Checkers and approval with real processes and the real mandos-client: the packaged server for
 * checkers, an in-process server where a test must act as the administrator (approve, deny) until
 * the D-Bus control plane exists.
 */
class LifecycleInteropIT {
    @TempDir static Path shared;
    static Keys keys;
    static String section;

    @TempDir Path tmp;
    ServerProcess server;
    SystemScheduler scheduler;
    ClientRegistry registry;
    MandosServer inProcess;

    @BeforeAll
    static void keys() throws Exception {
        keys = Keys.generate(Keys.Keygen.REAL, shared.resolve("keys"), "test");
        section = keys.clientsConfSection(Keys.Keygen.REAL, "box", "unlock me".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (inProcess != null) inProcess.close();
        if (registry != null) registry.close();
        if (scheduler != null) scheduler.close();
    }

    private ServerProcess startServer(String clientOptions, String... extra) throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("clients.conf"), section + clientOptions);
        List<String> args = new java.util.ArrayList<>(ServerProcess.args(conf, tmp, "::", ServerProcess.freePort()));
        args.addAll(List.of(extra));
        server = ServerProcess.start(args);
        return server;
    }

    private int port() {
        String line = server.log().stream().filter(l -> l.contains("Now listening")).findFirst().orElseThrow();
        return Integer.parseInt(line.replaceAll(".*port (\\d+).*", "$1"));
    }

    @Test
    void aFailingRealCheckerDisablesTheClientAndTheRealClientThenGetsNothing() throws Exception {
        startServer("checker = false\ninterval = PT2S\ntimeout = PT3S\n");
        // Before expiry the client is served.
        assertThat(MandosClients.runReal(keys, "[::1]:" + port(), Duration.ofSeconds(30)).stdoutText())
                .isEqualTo("unlock me");
        // The secret bought it extended_timeout; with checkers failing that still ends. Make it
        // short: the disabled state is what matters here, so wait for the log line.
        server.awaitLog(l -> l.contains("Checker for box failed"), Duration.ofSeconds(20));
        server.close();
        server = null;
        startServer("checker = false\ninterval = PT2S\ntimeout = PT3S\nextended_timeout = PT3S\n");
        server.awaitLog(l -> l.contains("Client box disabled: no successful check within its timeout"),
                Duration.ofSeconds(20));
        var result = MandosClients.runReal(keys, "[::1]:" + port(), Duration.ofSeconds(6));
        assertThat(result.stdout()).isEmpty();
        server.awaitLog(l -> l.contains("Client box is refused: Disabled"), Duration.ofSeconds(5));
    }

    @Test
    void aSucceedingCheckerKeepsTheClientEnabled() throws Exception {
        startServer("checker = true\ninterval = PT1S\ntimeout = PT2S\n", "--debuglevel", "DEBUG");
        // Several timeouts pass; every check succeeds and bumps the expiry.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.log().stream().filter(l -> l.contains("Checker for box succeeded")).count() < 5) {
            assertThat(System.nanoTime()).as("five successful checks").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(server.log()).noneMatch(l -> l.contains("disabled"));
        assertThat(MandosClients.runReal(keys, "[::1]:" + port(), Duration.ofSeconds(30)).stdoutText())
                .isEqualTo("unlock me");
    }

    @Test
    void aHangingCheckerIsKilledWithItsWholeProcessGroup() throws Exception {
        String marker = Long.toString(700000 + ProcessHandle.current().pid() % 100000);
        startServer("checker = sleep " + marker + " & sleep " + marker + "; wait\ninterval = PT2S\ntimeout = PT1H\n",
                "--debuglevel", "DEBUG");
        // It never succeeds, so the client is disabled at its first expiry and the checker killed.
        server.awaitLog(l -> l.contains("Starting checker"), Duration.ofSeconds(20));
        long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sleepers(marker) < 2) {
            assertThat(System.nanoTime()).as("the checker's two sleeps run").isLessThan(started);
            Thread.sleep(20);
        }
        server.awaitLog(l -> l.contains("Client box disabled") || l.contains("ran longer than"),
                Duration.ofSeconds(20));
        // SIGTERM went to the group; give the kernel a moment to deliver it, bounded.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sleepers(marker) > 0) {
            assertThat(System.nanoTime()).as("no 'sleep " + marker + "' left").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aMissingCheckerProgramIsReportedOnceNotEveryInterval() throws Exception {
        startServer("checker = /nonexistent/checker-program\ninterval = PT1S\ntimeout = PT1H\n");
        server.awaitLog(l -> l.contains("could not run its command (exit status 127: not found)"),
                Duration.ofSeconds(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < deadline) Thread.sleep(100); // several more intervals pass
        assertThat(server.log().stream().filter(l -> l.contains("could not run its command"))).hasSize(1);
    }

    @Test
    void checkerOutputGoesToTheDebugLog() throws Exception {
        startServer("checker = echo hello from %%(name)s\ninterval = PT1S\n", "--debuglevel", "DEBUG");
        server.awaitLog(l -> l.contains("Checker for box: hello from box"), Duration.ofSeconds(10));
    }

    private static long sleepers(String marker) throws Exception {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Files.readString(p.resolve("cmdline")).replace('\0', ' ').trim()
                            .equals("sleep " + marker);
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }

    // ---------------------------------------------------------------- approval, administered in-process

    private int startInProcess(String clientOptions) throws Exception {
        return startInProcess(clientOptions, ConnectionLimits.defaults());
    }

    private int startInProcess(String clientOptions, ConnectionLimits limits) throws Exception {
        Path file = tmp.resolve("clients.conf");
        Files.writeString(file, section + clientOptions);
        scheduler = new SystemScheduler();
        registry = new ClientRegistry(ClientsConf.load(file), scheduler, new CheckerRunner());
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        inProcess = new MandosServer(socket, registry, new ServerHandshake(TlsPolicy.mandosDefault()), limits);
        registry.start();
        inProcess.start();
        return inProcess.localAddress().getPort();
    }

    private CompletableFuture<CommandResult> fetchInBackground(int port, Duration limit) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return MandosClients.runReal(keys, "[::1]:" + port, limit);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private void awaitPending() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!registry.status("box").orElseThrow().approvalPending()) {
            assertThat(System.nanoTime()).as("client waiting for approval").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void anApprovedRealClientGetsItsPassword() throws Exception {
        int port = startInProcess("checker = true\napproval_delay = PT5M\napproved_by_default = false\n");
        var fetch = fetchInBackground(port, Duration.ofSeconds(60));
        awaitPending();
        registry.approve("box", true);
        assertThat(fetch.get(90, TimeUnit.SECONDS).stdoutText()).isEqualTo("unlock me");
    }

    @Test
    void aDeniedRealClientGetsNothing() throws Exception {
        int port = startInProcess("checker = true\napproval_delay = PT5M\napproved_by_default = true\n"
                + "approval_duration = PT1M\n");
        var fetch = fetchInBackground(port, Duration.ofSeconds(8));
        awaitPending();
        registry.approve("box", false);
        var result = fetch.get(60, TimeUnit.SECONDS);
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aRealClientWaitingPastTheDelayGetsTheDefaultDecision() throws Exception {
        int port = startInProcess("checker = true\napproval_delay = PT3S\napproved_by_default = true\n");
        long start = System.nanoTime();
        var result = fetchInBackground(port, Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
        assertThat(result.stdoutText()).isEqualTo("unlock me");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anApprovalWaitLongerThanTheConnectionLimitIsNotCutByIt() throws Exception {
        var shortLimits = new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 64);
        int port = startInProcess("checker = true\napproval_delay = PT6S\napproved_by_default = true\n", shortLimits);
        var result = fetchInBackground(port, Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
        assertThat(result.stdoutText()).isEqualTo("unlock me");
    }

    @Test
    void theApprovalWaitEndsWhenTheRealClientIsKilled() throws Exception {
        int port = startInProcess("checker = true\napproval_delay = PT10M\napproved_by_default = true\n");
        var fetch = fetchInBackground(port, Duration.ofSeconds(4)); // timeout(1) kills it while waiting
        awaitPending();
        fetch.get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.status("box").orElseThrow().approvalPending()) {
            assertThat(System.nanoTime()).as("wait ended with the connection").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
