package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@link PrivilegesIT} in a child JVM started as root: starts a thread, drops privileges
 * on the main thread, then prints what the kernel says about the process and about that thread,
 * one {@code key=value} per line.
 */
public final class DropPrivilegesProbe {
    private static final long WAIT_SECONDS = 30;
    private static final List<String> CREDENTIAL_LINES = List.of("Uid:", "Gid:", "Groups:");

    private DropPrivilegesProbe() {}

    public static void main(String[] args) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch dropped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> earlyTid = new AtomicReference<>();
        AtomicReference<List<String>> earlyView = new AtomicReference<>();
        Thread early = Thread.ofPlatform().name("started-before-drop").start(() -> {
            try {
                // /proc/thread-self -> "PID/task/TID"
                earlyTid.set(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
                started.countDown();
                if (dropped.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    earlyView.set(credentials(Path.of("/proc/thread-self/status")));
                }
                // Stay alive until main has read this thread's status from outside.
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                earlyView.set(List.of("error " + e));
            }
        });
        if (!started.await(WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("thread did not start");
        // Load what is needed after the drop now: the class path may not be readable afterwards.
        Class.forName(LastErrorException.class.getName());

        try {
            Privileges.Result result = Privileges.dropIfRoot();
            System.out.println("outcome=" + result.outcome());
            System.out.println("user=" + result.userName());
            System.out.println("uid=" + result.uid());
            System.out.println("gid=" + result.gid());
        } catch (PrivilegeException e) {
            System.out.println("error=" + e.getMessage());
        }
        dropped.countDown();

        credentials(Path.of("/proc/self/status")).forEach(l -> System.out.println("process." + l));
        credentials(Path.of("/proc/self/task", earlyTid.get(), "status"))
                .forEach(l -> System.out.println("task." + l));
        release.countDown();
        early.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        earlyView.get().forEach(l -> System.out.println("thread." + l));
        try {
            LibC.setuid(0);
            System.out.println("setuid0=succeeded");
        } catch (LastErrorException e) {
            System.out.println("setuid0=errno " + e.getErrorCode());
        }
    }

    /** The Uid/Gid/Groups lines, tabs turned into single spaces. */
    private static List<String> credentials(Path status) throws IOException {
        return Files.readAllLines(status).stream()
                .filter(l -> CREDENTIAL_LINES.stream().anyMatch(l::startsWith))
                .map(l -> l.replaceAll("\\s+", " ").strip())
                .toList();
    }
}
