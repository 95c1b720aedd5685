package org.mandosjava.tools.client;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceListener;
import org.mandosjava.zeroconf.Link;
import org.mandosjava.zeroconf.ZeroconfSettings;

/**
 * Finds Mandos servers by browsing {@code _mandos._tcp} with our own mDNS stack (JmDNS), as the
 * original embeds libavahi-core rather than using avahi-daemon (spec §6.2).
 *
 * <p>One JmDNS instance per interface and address family (a JmDNS instance binds one address): the
 * interface's link-local IPv6 address and its IPv4 address, where it has them. Each service found is
 * resolved, and each of its addresses not seen before is handed out once by {@link #next}; a
 * link-local IPv6 address gets the scope of the interface it was found on. The instances also answer
 * for a host name of their own, which we make distinct so it cannot collide with the server's.
 */
final class ZeroconfBrowser implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ZeroconfBrowser.class.getName());
    private static final String SERVICE_TYPE = ZeroconfSettings.SERVICE_TYPE + ".local.";
    private static final String HOST_NAME_SUFFIX = "-mandos-client";
    private static final String FALLBACK_HOST_NAME = "mandos";
    /** Bound on stopping the instances at exit. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private record Browser(Link link, InetAddress address, JmDNS jmdns) {}

    private final List<Browser> browsers = new ArrayList<>();
    private final Set<ServerAddress> seen = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ServerAddress> found = new LinkedBlockingQueue<>();

    private ZeroconfBrowser() {}

    /**
     * Starts browsing on the links' link-local IPv6 and IPv4 addresses.
     *
     * @throws IOException if there is no such address, or no JmDNS instance could be started
     */
    static ZeroconfBrowser start(List<Link> links) throws IOException {
        ZeroconfBrowser browser = new ZeroconfBrowser();
        String hostName = hostName() + HOST_NAME_SUFFIX;
        IOException lastFailure = null;
        for (Link link : links) {
            for (Optional<? extends InetAddress> address : List.of(link.linkLocal6(), link.ipv4())) {
                if (address.isEmpty()) continue;
                try {
                    browser.browse(link, address.get(), JmDNS.create(address.get(), hostName));
                } catch (IOException | RuntimeException e) {
                    LOG.fine(() -> "Cannot browse at " + address.get().getHostAddress() + ": " + e);
                    lastFailure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                }
            }
        }
        if (browser.browsers.isEmpty()) {
            browser.close();
            throw lastFailure != null ? lastFailure : new IOException("No network interface with an address to browse on");
        }
        return browser;
    }

    /** The next server address not handed out before; empty if none turned up within the timeout. */
    Optional<ServerAddress> next(long timeoutNanos) throws InterruptedException {
        return Optional.ofNullable(found.poll(timeoutNanos, TimeUnit.NANOSECONDS));
    }

    private void browse(Link link, InetAddress address, JmDNS jmdns) {
        Browser browser = new Browser(link, address, jmdns);
        browsers.add(browser);
        LOG.fine(() -> "Browsing for " + SERVICE_TYPE + " on " + link.name() + " at " + address.getHostAddress());
        jmdns.addServiceListener(SERVICE_TYPE, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                // Asynchronous: the answer arrives as serviceResolved.
                event.getDNS().requestServiceInfo(event.getType(), event.getName());
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                LOG.fine(() -> "Mandos server \"" + event.getName() + "\" left " + link.name());
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                resolved(browser, event);
            }
        });
    }

    private void resolved(Browser browser, ServiceEvent event) {
        int port = event.getInfo().getPort();
        for (InetAddress address : event.getInfo().getInetAddresses()) {
            ServerAddress server = scoped(address, port, browser.link());
            if (seen.add(server)) {
                LOG.fine(() -> "Mandos server \"" + event.getName() + "\" found on " + browser.link().name()
                        + " (" + server + ")");
                found.add(server);
            }
        }
    }

    /** A link-local IPv6 address is only reachable through the interface it was found on. */
    private static ServerAddress scoped(InetAddress address, int port, Link link) {
        if (address instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
            try {
                return new ServerAddress(Inet6Address.getByAddress(null, v6.getAddress(), link.index()), port);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return new ServerAddress(address, port);
    }

    /** The kernel's host name; JmDNS answers for {@code NAME.local}. */
    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
            return name.isEmpty() ? FALLBACK_HOST_NAME : name;
        } catch (IOException e) {
            return FALLBACK_HOST_NAME;
        }
    }

    @Override
    public void close() {
        // In parallel and bounded: each JmDNS instance takes a moment to cancel its timers.
        ExecutorService closer = Executors.newVirtualThreadPerTaskExecutor();
        for (Browser browser : browsers) {
            closer.execute(() -> {
                try {
                    browser.jmdns().close();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "Closing JmDNS at " + browser.address().getHostAddress(), e);
                }
            });
        }
        closer.shutdown();
        try {
            closer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
