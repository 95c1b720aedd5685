package org.mandosjava.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server's process tree costs right now, read from /proc. The tree is the root process and
 * every descendant (the Python server forks one child per connection and per checker).
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final long PAGE_SIZE = 4096;

    private ProcessTree() {}

    /**
     * @param processes live (or zombie) processes in the tree
     * @param cpuTicks CPU of the whole tree including reaped descendants
     * @param rssBytes sum of the resident sets: overcounts pages shared by forked children
     * @param pssBytes proportional set size summed over the tree (shared pages divided among sharers);
     *     -1 when not read
     */
    record Snapshot(int processes, int threads, long cpuTicks, long rssBytes, long pssBytes) {
        double cpuSeconds() {
            return (double) cpuTicks / ProcStat.TICKS_PER_SECOND;
        }
    }

    static Snapshot sample(long root, boolean withPss) {
        List<ProcStat> tree = members(root);
        long cpu = 0, rss = 0, pss = withPss ? 0 : -1;
        int threads = 0;
        for (ProcStat p : tree) {
            // A reaped descendant's CPU is already in its parent's cutime/cstime; a live one's is not.
            cpu += p.cpuTicks();
            rss += p.rssPages() * PAGE_SIZE;
            threads += p.threads();
            if (withPss) pss += Math.max(0, pss(p.pid()));
        }
        return new Snapshot(tree.size(), threads, cpu, rss, pss);
    }

    /** The root and its descendants; empty when the root is gone. */
    static List<ProcStat> members(long root) {
        Map<Integer, List<ProcStat>> children = new HashMap<>();
        ProcStat rootStat = null;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                ProcStat stat = read(dir);
                if (stat == null) continue;
                if (stat.pid() == root) rootStat = stat;
                children.computeIfAbsent(stat.ppid(), k -> new ArrayList<>()).add(stat);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        List<ProcStat> tree = new ArrayList<>();
        if (rootStat == null) return tree;
        tree.add(rootStat);
        for (int i = 0; i < tree.size(); i++) {
            tree.addAll(children.getOrDefault(tree.get(i).pid(), List.of()));
        }
        return tree;
    }

    private static ProcStat read(Path dir) {
        try {
            return ProcStat.parse(Files.readString(dir.resolve("stat")));
        } catch (NoSuchFileException e) {
            return null; // exited while we looked
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Pss in bytes from smaps_rollup, or -1 when the process is gone or unreadable. */
    static long pss(int pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Integer.toString(pid)).resolve("smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.substring(4).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** MemAvailable of the machine in bytes, or Long.MAX_VALUE if unknown. */
    static long memAvailable() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.substring(13).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') return false;
        }
        return true;
    }
}
