package io.hookline.storage;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How long a line of writes waits for more writes before it starts a transaction with the group it has (PostgreSQL
 * group commit). One line's rule, used by its thread alone.
 *
 * <p>Why wait at all. Each transaction costs a fixed set of round trips and a commit, on the node and on the server,
 * whatever the number of writes it carries. When a busy user's requests are spread over several nodes, each node's
 * line finds fewer writes waiting when it starts, and a smaller group makes the next one smaller: each write costs
 * more, requests take longer, fewer are waiting. A short wait for the writes that the recent groups show are coming
 * keeps the groups as large as the load allows.
 *
 * <p>When. Only up to the largest of the recent groups, and only on a busy line: one whose recent writes came at least
 * every {@link #BUSY_GAP_NANOS} on average. A quiet line (a node taking a few writes a second) never waits, nor does
 * a line whose writes come one at a time (its largest recent group is 1): the latency of a lone write does not
 * change. A stricter rule, waiting only where the missing writes were expected within the wait, left three nodes
 * sharing one busy user as they were: there, each node's line takes a write every 1.5 to 2 ms (BENCHMARKS.md,
 * twenty-fourth runs).
 */
final class GroupLinger {
    /** The longest wait: about one transaction's length on a busy node, so that at most one commit is skipped. */
    static final long MAX_WAIT_NANOS = 2_000_000;
    /** The longest average time between a line's recent writes for the line to count as busy. */
    static final long BUSY_GAP_NANOS = 10_000_000;
    /** How many recent groups the rule looks at. */
    static final int RECENT = 8;

    private final int maxGroup;
    private final int[] sizes = new int[RECENT];
    private final long[] times = new long[RECENT];
    private int taken;

    GroupLinger(int maxGroup) {
        this.maxGroup = maxGroup;
    }

    /**
     * How long to wait for more writes, in nanoseconds (0: start now), for a group of {@code size} writes at
     * {@code now} (a {@link System#nanoTime()} reading); and, through {@link #target}, up to how many.
     */
    long waitNanos(int size, long now) {
        if (size >= target() || taken < RECENT) return 0;
        long writes = 0;
        for (int s : sizes) writes += s;
        long elapsed = now - times[taken % RECENT]; // since the oldest recent group was taken
        return elapsed > 0 && elapsed <= writes * BUSY_GAP_NANOS ? MAX_WAIT_NANOS : 0;
    }

    /** The group size worth waiting for: the largest of the recent groups, within the line's maximum. */
    int target() {
        int t = 1;
        for (int s : sizes) t = Math.max(t, s);
        return Math.min(t, maxGroup);
    }

    /**
     * Adds to {@code group} the writes that reach {@code queue} within {@code nanos}, until it has {@code target};
     * returns as soon as it has them. An interrupt (the writer stopping) ends the wait: the group runs as it is.
     */
    static <T> void gather(BlockingQueue<T> queue, List<T> group, int target, long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            while (group.size() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                T next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) return;
                group.add(next);
                queue.drainTo(group, target - group.size());
            }
        } catch (InterruptedException e) {
            // The writer is stopping (it interrupts only then, after its loop stopped taking): the group still runs,
            // and no retry of it may find its thread interrupted.
        }
    }

    /** Records the group the line is about to run, taken at {@code now}. */
    void took(int size, long now) {
        sizes[taken % RECENT] = size;
        times[taken % RECENT] = now;
        taken++;
    }
}
