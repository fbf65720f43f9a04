package io.hookline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of the PostgreSQL server the bench started on this machine ({@code --pg-pid}, its postmaster): the
 * postmaster and every process it forked (one backend per connection, its writers), live ones read from
 * {@code /proc}, ended ones from the postmaster's counters of the children it reaped. A server elsewhere
 * ({@code --pg-url} alone) is not measured: its figures read NaN and the tables leave them out.
 */
final class PostgresCpu {
    private static volatile long postmaster = -1;

    private PostgresCpu() {
    }

    static void watch(long pid) {
        postmaster = pid;
    }

    /** CPU seconds the server has used so far, or NaN when no server is watched. */
    static double seconds() {
        long pm = postmaster;
        if (pm < 0) return Double.NaN;
        long[] own = stat(pm);
        if (own == null) return Double.NaN;
        long ticks = own[1] + own[2] + own[3] + own[4];
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long[] child = stat(Long.parseLong(name));
                if (child != null && child[0] == pm) ticks += child[1] + child[2] + child[3] + child[4];
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / (double) HooklineProcess.CLOCK_TICKS;
    }

    /** Parent pid, utime, stime, cutime, cstime of a process (/proc/&lt;pid&gt;/stat), or null once it is gone. */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
