package io.hookline.storage;

import org.junit.jupiter.api.Test;

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
}
