package org.mandosjava.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One or three members of Debian's etcd ({@code etcd-server}) on 127.0.0.1 with free ports and a
 * data directory each under the test's directory. Only the processes this object started are ever
 * signalled, by PID. A missing etcd skips locally and fails in CI (see {@link Peers}).
 */
public final class EtcdCluster implements AutoCloseable {
    public static final Path ETCD = Path.of("/usr/bin/etcd");
    public static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final Pattern LEADER = Pattern.compile("\"leader\":\"(\\d+)\"");
    private static final Pattern MEMBER = Pattern.compile("\"member_id\":\"(\\d+)\"");

    /**
     * Server TLS for the client port: etcd requires client certificates signed by {@code ca}; the
     * server certificate must also allow clientAuth (the 3.4 gateway and this harness's etcdctl use it).
     */
    public record Tls(Path ca, Path serverCert, Path serverKey) {}

    private final Path dir;
    private final Tls tls;
    private final List<String> extraFlags;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final ManagedProcess[] processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private EtcdCluster(Path dir, int members, Tls tls, List<String> extraFlags) throws IOException {
        this.dir = dir;
        this.tls = tls;
        this.extraFlags = List.copyOf(extraFlags);
        clientPorts = new int[members];
        peerPorts = new int[members];
        processes = new ManagedProcess[members];
        int[] ports = Ports.distinctFreePorts(2 * members);
        for (int i = 0; i < members; i++) {
            clientPorts[i] = ports[2 * i];
            peerPorts[i] = ports[2 * i + 1];
        }
    }

    /** Starts {@code members} plain-HTTP members and waits until they have a leader. */
    public static EtcdCluster start(Path dir, int members) throws Exception {
        return start(dir, members, null, List.of());
    }

    /**
     * Starts {@code members} (1 or 3) members with optional client-port TLS and extra etcd flags,
     * waiting (bounded) until every member reports a leader.
     */
    public static EtcdCluster start(Path dir, int members, Tls tls, List<String> extraFlags) throws Exception {
        Peers.require(ETCD, "etcd-server");
        if (tls != null) Peers.require(ETCDCTL, "etcd-client");
        EtcdCluster c = new EtcdCluster(dir, members, tls, extraFlags);
        try {
            for (int i = 0; i < members; i++) c.launch(i, "new");
            c.awaitHealthy(HEALTHY_WITHIN);
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    public int size() {
        return processes.length;
    }

    public List<URI> endpoints() {
        List<URI> list = new ArrayList<>();
        for (int i = 0; i < size(); i++) list.add(endpoint(i));
        return list;
    }

    public URI endpoint(int member) {
        return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + clientPorts[member]);
    }

    public int clientPort(int member) {
        return clientPorts[member];
    }

    public boolean isRunning(int member) {
        return processes[member] != null && processes[member].isAlive();
    }

    private String name(int i) {
        return "m" + i;
    }

    private void launch(int i, String state) throws IOException {
        StringBuilder initial = new StringBuilder();
        for (int j = 0; j < size(); j++) {
            if (j > 0) initial.append(',');
            initial.append(name(j)).append("=http://127.0.0.1:").append(peerPorts[j]);
        }
        String client = endpoint(i).toString();
        List<String> cmd = new ArrayList<>(List.of(ETCD.toString(),
                "--name", name(i),
                "--data-dir", dir.resolve(name(i) + ".etcd").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-cluster", initial.toString(),
                "--initial-cluster-state", state,
                "--initial-cluster-token", "mandos-test-" + dir.getFileName(),
                // Fast elections keep failover tests short; defaults are 100 ms / 1000 ms.
                "--heartbeat-interval", "50",
                "--election-timeout", "500",
                "--logger", "zap"));
        if (tls != null) {
            cmd.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString(),
                    "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth"));
        }
        cmd.addAll(extraFlags);
        processes[i] = ManagedProcess.start(name(i) + "-" + System.nanoTime(), cmd, dir.resolve("logs"), Map.of());
    }

    /** Waits until every running member reports the same leader. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (leaderOrMinusOne() >= 0) return;
            Thread.sleep(Poll.INTERVAL.toMillis());
        }
        StringBuilder why = new StringBuilder("etcd not healthy within " + timeout);
        for (ManagedProcess p : processes) if (p != null) why.append('\n').append(p.diagnostics());
        throw new AssertionError(why);
    }

    /** The index of the member every running member names as leader (asked by the status API). */
    public int leader() {
        int l = leaderOrMinusOne();
        if (l < 0) throw new IllegalStateException("no agreed etcd leader");
        return l;
    }

    private int leaderOrMinusOne() {
        long leader = -1;
        int leaderIndex = -1;
        for (int i = 0; i < size(); i++) {
            if (!isRunning(i)) continue;
            String body = status(i);
            if (body == null) return -1;
            Matcher l = LEADER.matcher(body);
            Matcher m = MEMBER.matcher(body);
            if (!l.find() || !m.find()) return -1;
            long thisLeader = Long.parseUnsignedLong(l.group(1));
            if (leader != -1 && leader != thisLeader) return -1;
            leader = thisLeader;
            if (Long.parseUnsignedLong(m.group(1)) == thisLeader) leaderIndex = i;
        }
        return leaderIndex;
    }

    private String status(int i) {
        if (tls != null) return statusWithEtcdctl(i);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint(i).resolve("/v3/maintenance/status"))
                    .timeout(Duration.ofSeconds(1)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** With TLS the status comes from etcdctl, which has the client certificate. */
    private String statusWithEtcdctl(int i) {
        try {
            CommandResult r = etcdctl(i, List.of("endpoint", "status", "-w", "json"), Map.of());
            if (r.exitStatus() != 0) return null;
            // etcdctl prints numbers, not strings: normalise to the gateway's form for the patterns.
            return r.stdoutText().replaceAll("\"leader\":(\\d+)", "\"leader\":\"$1\"")
                    .replaceAll("\"member_id\":(\\d+)", "\"member_id\":\"$1\"");
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs etcdctl (v3 API) against {@code member}, with the client certificate when TLS is on. */
    public CommandResult etcdctl(int member, List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        return etcdctl(member, args, env, tls == null ? null : tls.serverCert(), tls == null ? null : tls.serverKey());
    }

    /** As {@link #etcdctl(int, List, Map)}, with a given client certificate when TLS is on. */
    public CommandResult etcdctl(int member, List<String> args, Map<String, String> env, Path cert, Path key)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints", endpoint(member).toString(),
                "--dial-timeout", "2s", "--command-timeout", "5s"));
        if (tls != null) {
            cmd.addAll(List.of("--cacert", tls.ca().toString(), "--cert", cert.toString(), "--key", key.toString()));
        }
        cmd.addAll(args);
        return CommandResult.run(cmd, Duration.ofSeconds(15), env);
    }

    /** SIGKILL to the member, by PID; waits until it is gone. */
    public void kill9(int member) throws InterruptedException {
        ManagedProcess p = processes[member];
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        p.awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM to the member, by PID; waits until it has exited. */
    public void stop(int member) throws InterruptedException {
        processes[member].terminate(Duration.ofSeconds(10));
    }

    /** Starts a stopped or killed member again on its data directory and ports. */
    public void start(int member) throws IOException {
        if (isRunning(member)) throw new IllegalStateException(name(member) + " is running");
        launch(member, "existing");
    }

    public String diagnostics() {
        StringBuilder sb = new StringBuilder();
        for (ManagedProcess p : processes) if (p != null) sb.append(p.diagnostics()).append('\n');
        return sb.toString();
    }

    /** Stops the members this object started, by PID (their data stays for the test's temp dir). */
    @Override
    public void close() {
        for (ManagedProcess p : processes) {
            if (p != null) p.close();
        }
        http.close();
    }

    public Path dir() {
        return dir;
    }

    static boolean exists() {
        return Files.isExecutable(ETCD);
    }
}
