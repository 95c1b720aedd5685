package org.mandosjava.zeroconf;

import java.util.concurrent.CountDownLatch;

/**
 * A stand-alone announcer for trying the announcers by hand in network namespaces:
 * {@code AnnounceMain MODE NAME PORT INTERFACE|"" ipv6|ipv4}. Runs until killed.
 */
public final class AnnounceMain {
    private AnnounceMain() {}

    public static void main(String[] args) throws Exception {
        ZeroconfSettings settings = new ZeroconfSettings(args[1], Integer.parseInt(args[2]), args[3],
                args[4].equals("ipv6"), ZeroconfSettings.Mode.parse(args[0]));
        ServiceAnnouncer announcer = Zeroconf.start(settings,
                (old, now) -> System.out.println("RENAMED " + old + " -> " + now));
        System.out.println("MODE " + announcer.mode() + " NAME " + announcer.serviceName());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            announcer.close();
            done.countDown();
        }));
        done.await();
    }
}
