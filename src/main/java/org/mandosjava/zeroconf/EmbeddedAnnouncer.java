package org.mandosjava.zeroconf;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * Announces the service with our own mDNS responder (JmDNS), for hosts without avahi-daemon.
 *
 * <p>One JmDNS instance per announced address, because a JmDNS instance serves one address of one
 * family on one interface ({@link AnnounceAddresses} chooses them). Each instance probes for the name
 * for about three seconds before announcing; registration runs in the background so the server is not
 * held up, and its outcome is logged.
 *
 * <p>Collisions: JmDNS renames a service whose name is taken on the link itself, to {@code Mandos (2)}
 * and so on (not Avahi's {@code Mandos #2}: the renaming is inside JmDNS). We cannot hook into it, so a
 * watcher compares the announced name with the last one seen, logs a change at WARNING and tells the
 * {@link RenameListener}. When several interfaces are announced on, the names may differ per link;
 * {@link #serviceName()} is the one on the first.
 */
public final class EmbeddedAnnouncer implements ServiceAnnouncer {
    private static final Logger LOG = Logger.getLogger(EmbeddedAnnouncer.class.getName());

    /** How often the watcher looks for a rename made inside JmDNS. */
    private static final Duration RENAME_CHECK_PERIOD = Duration.ofSeconds(1);
    /** Bound on withdrawing (JmDNS sends goodbye packets) at close. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String FALLBACK_HOST_NAME = "mandos";

    /** JmDNS narrates every packet at DEBUG; keep its warnings only. Held: JUL keeps loggers weakly. */
    private static final Logger JMDNS_LOG = Logger.getLogger("javax.jmdns");

    static {
        if (JMDNS_LOG.getLevel() == null) {
            JMDNS_LOG.setLevel(Level.WARNING);
        }
    }

    private final List<Responder> responders;
    private final RenameListener renameListener;
    private final ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService watcher =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("mdns-rename-watch").factory());
    private volatile String name;
    private volatile boolean closed;

    private record Responder(InetAddress address, JmDNS jmdns, ServiceInfo info) {}

    private EmbeddedAnnouncer(List<Responder> responders, String name, RenameListener renameListener) {
        this.responders = responders;
        this.name = name;
        this.renameListener = renameListener;
    }

    static EmbeddedAnnouncer start(ZeroconfSettings settings, List<InetAddress> addresses,
            RenameListener renameListener) throws ZeroconfException {
        if (addresses.isEmpty()) {
            throw new ZeroconfException(settings.allInterfaces()
                    ? "No multicast-capable interface with an " + (settings.ipv6() ? "IPv6" : "IPv4")
                            + " address to announce on"
                    : "Interface " + settings.interfaceName() + " has no "
                            + (settings.ipv6() ? "IPv6 link-local" : "IPv4") + " address to announce on");
        }
        String hostName = hostName();
        List<Responder> responders = new ArrayList<>();
        try {
            for (InetAddress address : addresses) {
                JmDNS jmdns = JmDNS.create(address, hostName);
                ServiceInfo info = ServiceInfo.create(ZeroconfSettings.SERVICE_TYPE + ".local.",
                        settings.serviceName(), settings.port(), "");
                responders.add(new Responder(address, jmdns, info));
            }
        } catch (IOException | RuntimeException e) {
            responders.forEach(r -> closeQuietly(r.jmdns()));
            throw new ZeroconfException("Cannot start the embedded mDNS responder: " + e.getMessage(), e);
        }
        EmbeddedAnnouncer announcer = new EmbeddedAnnouncer(List.copyOf(responders),
                settings.serviceName(), renameListener);
        announcer.register(settings.port());
        return announcer;
    }

    @Override
    public ZeroconfSettings.Mode mode() {
        return ZeroconfSettings.Mode.EMBEDDED;
    }

    @Override
    public String serviceName() {
        return name;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.shutdownNow();
        for (Responder responder : responders) {
            tasks.execute(() -> {
                try {
                    responder.jmdns().unregisterAllServices();
                } finally {
                    closeQuietly(responder.jmdns());
                }
            });
        }
        tasks.shutdown();
        try {
            if (!tasks.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("Embedded mDNS responder did not stop within " + CLOSE_TIMEOUT);
                tasks.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tasks.shutdownNow();
        }
    }

    private void register(int port) {
        for (Responder responder : responders) {
            tasks.execute(() -> {
                try {
                    responder.jmdns().registerService(responder.info());
                    LOG.log(Level.INFO, "Announcing Zeroconf service ''{0}'' ({1}) on port {2} at {3}"
                            + " (embedded mDNS)", new Object[] {responder.info().getName(),
                                ZeroconfSettings.SERVICE_TYPE, String.valueOf(port), responder.address().getHostAddress()});
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        LOG.log(Level.SEVERE, "Zeroconf: cannot announce at "
                                + responder.address().getHostAddress() + ": " + e.getMessage(), e);
                    }
                }
            });
        }
        watcher.scheduleWithFixedDelay(this::checkRename, RENAME_CHECK_PERIOD.toMillis(),
                RENAME_CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkRename() {
        String current = responders.get(0).info().getName();
        String old = name;
        if (current != null && !current.equals(old)) {
            name = current;
            LOG.log(Level.WARNING, "Zeroconf service name ''{0}'' is taken; changing it to ''{1}''",
                    new Object[] {old, current});
            renameListener.renamed(old, current);
        }
    }

    /** The kernel's host name, which JmDNS announces as {@code NAME.local}. */
    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
                    .strip();
            return name.isEmpty() ? FALLBACK_HOST_NAME : name;
        } catch (IOException e) {
            return FALLBACK_HOST_NAME;
        }
    }

    private static void closeQuietly(JmDNS jmdns) {
        try {
            jmdns.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing JmDNS", e);
        }
    }
}
