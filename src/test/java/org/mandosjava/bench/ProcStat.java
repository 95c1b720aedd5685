package org.mandosjava.bench;

/**
 * The fields of one {@code /proc/PID/stat} line the benchmark needs (proc(5)). CPU times are in clock
 * ticks; {@code cutime}/{@code cstime} hold the CPU of children this process has already reaped, so
 * a forking server's cost does not vanish when its per-connection children exit.
 */
record ProcStat(int pid, String comm, char state, int ppid, long utime, long stime, long cutime, long cstime,
        int threads, long rssPages) {

    /** Linux reports CPU times in USER_HZ, which is 100 on every architecture the JDK runs on. */
    static final int TICKS_PER_SECOND = 100;

    /**
     * Parses one stat line. The command name may itself contain spaces and parentheses, so the
     * fields are counted from the <em>last</em> closing parenthesis.
     */
    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) throw new IllegalArgumentException("not a /proc stat line: " + line);
        int pid = Integer.parseInt(line.substring(0, open).trim());
        String comm = line.substring(open + 1, close);
        String[] f = line.substring(close + 1).trim().split(" +");
        if (f.length < 22) throw new IllegalArgumentException("short /proc stat line: " + line);
        // f[0] is field 3 of proc(5) (state); field n is f[n - 3].
        return new ProcStat(pid, comm, f[0].charAt(0), Integer.parseInt(f[1]),
                Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                Integer.parseInt(f[17]), Long.parseLong(f[21]));
    }

    /** CPU of this process and of every descendant it has reaped, in ticks. */
    long cpuTicks() {
        return utime + stime + cutime + cstime;
    }
}
