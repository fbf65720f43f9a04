package io.hookline.storage;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the writes of one transaction share of their reads, and when they stop sharing it. */
class SharedReadsTest {
    private final SharedReads reads = new SharedReads();
    private final AtomicInteger count = new AtomicInteger();

    private int streamsOf(WriteTx tx, long user) {
        return tx.sharedRead(Integer.class, user, Change.STREAMS, count::incrementAndGet);
    }

    @Test
    void writesShareAReadUntilOneNotesAChangeOfWhatItCovers() {
        WriteTx first = new WriteTx(null, 1, reads);
        WriteTx second = new WriteTx(null, 2, reads);
        int seen = streamsOf(first, 1);
        assertThat(streamsOf(second, 1)).isEqualTo(seen);
        assertThat(second.sharedRead(Integer.class, 1, Change.EVENTS, count::incrementAndGet)).isNotEqualTo(seen);
        second.changed(1, Change.EVENTS);
        assertThat(streamsOf(second, 1)).as("another kind's change").isEqualTo(seen);
        second.changed(2, Change.STREAMS);
        assertThat(streamsOf(second, 1)).as("another user's change").isEqualTo(seen);
        second.changed(1, Change.STREAMS);
        assertThat(streamsOf(new WriteTx(null, 3, reads), 1)).isNotEqualTo(seen);
    }

    @Test
    void aWriteThatNotedAChangeReadsAnewAndKeepsItsReadsToItself() {
        WriteTx changing = new WriteTx(null, 1, reads);
        changing.changed(1, Change.STREAMS);
        int first = streamsOf(changing, 1);
        int again = streamsOf(changing, 1);
        assertThat(again).as("its own changes since").isNotEqualTo(first);
        int next = streamsOf(new WriteTx(null, 2, reads), 1);
        assertThat(next).isNotEqualTo(first).isNotEqualTo(again);
    }
}
