package org.mandosjava.zeroconf;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Poll;

/**
 * Two network namespaces, "server" and "client", joined by a veth pair that has only IPv6 link-local
 * addresses — the network of a machine booting from its initrd next to its Mandos server. Deleting the
 * namespaces (close) deletes the veth pair with them.
 */
final class NetnsPair implements AutoCloseable {
    private static final Duration LINK_READY = Duration.ofSeconds(15);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    final String serverNs;
    final String clientNs;
    final String serverIf;
    final String clientIf;

    private NetnsPair(String id) {
        serverNs = "mzs-" + id;
        clientNs = "mzc-" + id;
        serverIf = "vs-" + id;
        clientIf = "vc-" + id;
    }

    static NetnsPair create() throws Exception {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        NetnsPair pair = new NetnsPair(HexFormat.of().formatHex(random));
        try {
            pair.setUp();
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    private void setUp() throws Exception {
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "netns", "add", serverNs);
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "netns", "add", clientNs);
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "link", "add", serverIf, "netns", serverNs, "type", "veth", "peer", "name", clientIf,
                "netns", clientNs);
        for (String[] end : new String[][] {{serverNs, serverIf}, {clientNs, clientIf}}) {
            // No duplicate address detection: nothing else is on this link, and it would hold the
            // fe80:: address "tentative" (unusable) for a second or two.
            CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "netns", "exec", end[0], "sysctl", "-q", "-w",
                    "net.ipv6.conf." + end[1] + ".accept_dad=0");
            CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "-n", end[0], "link", "set", "lo", "up");
            CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "-n", end[0], "link", "set", end[1], "up");
        }
        for (String[] end : new String[][] {{serverNs, serverIf}, {clientNs, clientIf}}) {
            boolean ready = Poll.until(() -> hasUsableLinkLocal(end[0], end[1]), LINK_READY);
            if (!ready) {
                throw new IllegalStateException("No usable fe80:: address on " + end[1] + " in " + end[0]);
            }
        }
    }

    /** Gives both ends an IPv4 link-local (169.254/16) address, for the --no-ipv6 tests. */
    void addIpv4() throws Exception {
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "-n", serverNs, "addr", "add", SERVER_IPV4 + "/16", "dev", serverIf);
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "-n", clientNs, "addr", "add", CLIENT_IPV4 + "/16", "dev", clientIf);
    }

    static final String SERVER_IPV4 = "169.254.77.1";
    static final String CLIENT_IPV4 = "169.254.77.2";

    private static boolean hasUsableLinkLocal(String ns, String dev) {
        try {
            String out = CommandResult.runSuccessfully(COMMAND_TIMEOUT, "ip", "-n", ns, "-6", "addr", "show", "dev", dev, "scope", "link").stdoutText();
            return out.contains("inet6 fe80:") && !out.contains("tentative");
        } catch (Exception e) {
            return false;
        }
    }

    /** The command prefix that runs a program in the namespace. */
    static java.util.List<String> in(String ns, java.util.List<String> command) {
        java.util.List<String> full = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() {
        for (String ns : new String[] {serverNs, clientNs}) {
            try {
                CommandResult.run(java.util.List.of("ip", "netns", "del", ns), COMMAND_TIMEOUT, java.util.Map.of());
            } catch (Exception e) {
                System.err.println("could not delete network namespace " + ns + ": " + e);
            }
        }
    }
}
