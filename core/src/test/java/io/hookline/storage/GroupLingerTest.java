package io.hookline.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GroupLingerTest {
    private static final long MS = 1_000_000;

    /** Records {@code count} groups of {@code size}, one every {@code gapNanos}, from 0; returns the next time. */
    private static long groups(GroupLinger linger, int count, int size, long gapNanos, long from) {
        long t = from;
        for (int i = 0; i < count; i++, t += gapNanos) linger.took(size, t);
        return t;
    }

    @Test
    void aBusyLineWaitsForTheWritesItsRecentGroupsShowAreComing() {
        GroupLinger linger = new GroupLinger(64);
        long now = groups(linger, GroupLinger.RECENT, 5, 2 * MS, 0); // 5 writes every 2 ms: one every 0.4 ms
        assertThat(linger.target()).isEqualTo(5);
        assertThat(linger.waitNanos(2, now)).isEqualTo(GroupLinger.MAX_WAIT_NANOS);
        assertThat(linger.waitNanos(5, now)).as("the group is as large as the recent ones").isZero();
        assertThat(linger.waitNanos(7, now)).isZero();
    }

    @Test
    void aQuietLineNeverWaits() {
        GroupLinger linger = new GroupLinger(64);
        // Mostly single writes 20 ms apart, one pair among them: the pair sets the target, the pace forbids waiting.
        long now = groups(linger, GroupLinger.RECENT - 1, 1, 20 * MS, 0);
        linger.took(2, now);
        now += 20 * MS;
        assertThat(linger.target()).isEqualTo(2);
        assertThat(linger.waitNanos(1, now)).isZero();
    }

    @Test
    void oneClientAtATimeNeverWaits() {
        GroupLinger linger = new GroupLinger(64);
        long now = groups(linger, 100, 1, 100_000, 0); // one write every 0.1 ms, each alone
        assertThat(linger.waitNanos(1, now)).isZero();
    }

    @Test
    void noWaitBeforeTheLineHasSeenEnoughGroups() {
        GroupLinger linger = new GroupLinger(64);
        long now = groups(linger, GroupLinger.RECENT - 1, 6, MS, 0);
        assertThat(linger.waitNanos(1, now)).isZero();
        linger.took(6, now);
        assertThat(linger.waitNanos(1, now + MS)).isEqualTo(GroupLinger.MAX_WAIT_NANOS);
    }

    @Test
    void waitsOnlyWhileWritesArriveAtLeastEveryBusyGap() {
        GroupLinger busy = new GroupLinger(64);
        // 2 writes every 20 ms: one every 10 ms, the busy gap.
        long now = groups(busy, GroupLinger.RECENT, 2, 20 * MS, 0);
        assertThat(busy.waitNanos(1, now)).isEqualTo(GroupLinger.MAX_WAIT_NANOS);
        GroupLinger slower = new GroupLinger(64);
        // 2 writes every 25 ms: one every 12.5 ms.
        now = groups(slower, GroupLinger.RECENT, 2, 25 * MS, 0);
        assertThat(slower.waitNanos(1, now)).isZero();
    }

    @Test
    void aLineThatWentQuietStopsWaiting() {
        GroupLinger linger = new GroupLinger(64);
        long now = groups(linger, GroupLinger.RECENT, 5, MS, 0);
        assertThat(linger.waitNanos(1, now)).isPositive();
        // A second of silence: the recent groups no longer say that writes are coming.
        assertThat(linger.waitNanos(1, now + 1_000 * MS)).isZero();
    }

    @Test
    void theTargetNeverExceedsTheLinesMaximumGroup() {
        GroupLinger linger = new GroupLinger(3);
        long now = groups(linger, GroupLinger.RECENT, 10, MS, 0);
        assertThat(linger.target()).isEqualTo(3);
        assertThat(linger.waitNanos(3, now)).isZero();
        assertThat(linger.waitNanos(2, now)).isEqualTo(GroupLinger.MAX_WAIT_NANOS);
    }

    @Test
    void theTargetFollowsTheRecentGroupsOnly() {
        GroupLinger linger = new GroupLinger(64);
        long now = groups(linger, GroupLinger.RECENT, 9, MS, 0);
        assertThat(linger.target()).isEqualTo(9);
        now = groups(linger, GroupLinger.RECENT, 2, MS, now);
        assertThat(linger.target()).as("the groups of 9 are older than the last %d", GroupLinger.RECENT).isEqualTo(2);
    }

    @Test
    void gatherTakesWhatIsQueuedUpToTheTarget() {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of("b", "c", "d"));
        List<String> group = new ArrayList<>(List.of("a"));
        GroupLinger.gather(queue, group, 3, TimeUnit.SECONDS.toNanos(30));
        assertThat(group).containsExactly("a", "b", "c");
        assertThat(queue).containsExactly("d");
    }

    @Test
    void gatherReturnsAsSoonAsAWriteArrivingDuringTheWaitCompletesTheGroup() throws Exception {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        List<String> group = new ArrayList<>(List.of("a"));
        // A 10-minute wait: the test would hang (and time out) if the arrival did not end it.
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                () -> GroupLinger.gather(queue, group, 2, TimeUnit.MINUTES.toNanos(10)));
        queue.put("b");
        waiting.get(60, TimeUnit.SECONDS);
        assertThat(group).containsExactly("a", "b");
    }

    @Test
    void gatherGivesUpWhenNothingArrivesWithinTheWait() {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        List<String> group = new ArrayList<>(List.of("a"));
        GroupLinger.gather(queue, group, 4, MS);
        assertThat(group).containsExactly("a");
    }

    @Test
    void anInterruptEndsTheWaitAndTheGroupStaysAsItIs() throws Exception {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        List<String> group = new ArrayList<>(List.of("a"));
        Thread t = new Thread(() -> GroupLinger.gather(queue, group, 2, TimeUnit.MINUTES.toNanos(10)));
        t.start();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).as("the interrupt ended the 10-minute wait").isFalse();
        assertThat(group).containsExactly("a");
    }
}
