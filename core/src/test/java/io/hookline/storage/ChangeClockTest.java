package io.hookline.storage;

import org.junit.jupiter.api.Test;

import io.hookline.support.Wait;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The horizon rule that makes {@code modifiedSince = <last serverTime>} exact: a serverTime is below every write still
 * in flight and at or above every committed one, and no later write takes a stamp at or below it.
 */
class ChangeClockTest {
    /** A clock the test moves by hand, in microseconds. */
    static final class HandClock extends Clock {
        long micros;

        HandClock(long micros) {
            this.micros = micros;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void stampsStrictlyIncreaseEvenWhenTheClockStandsStillOrGoesBack() {
        HandClock hand = new HandClock(1_000_000);
        ChangeClock clock = new ChangeClock(hand);
        long a = clock.beginWrite();
        long b = clock.beginWrite();
        assertThat(a).isEqualTo(1_000_000);
        assertThat(b).isEqualTo(a + 1);
        clock.finished(a);
        clock.finished(b);
        hand.micros = 500_000;
        long c = clock.beginWrite();
        assertThat(c).isEqualTo(b + 1);
        clock.finished(c);
        hand.micros = 2_000_000;
        assertThat(clock.beginWrite()).isEqualTo(2_000_000);
    }

    @Test
    void horizonStaysBelowWritesInFlight() {
        HandClock hand = new HandClock(1_000_000);
        ChangeClock clock = new ChangeClock(hand);
        long inFlight = clock.beginWrite();
        hand.micros = 1_000_050;
        long h = clock.horizon();
        // The write will commit later: a reader now must not report a time at or after its stamp.
        assertThat(h).isLessThan(inFlight);
        long second = clock.beginWrite();
        assertThat(clock.horizon()).isLessThan(inFlight);
        clock.finished(inFlight);
        clock.finished(second);
        long after = clock.horizon();
        assertThat(after).isGreaterThanOrEqualTo(second).isGreaterThanOrEqualTo(h);
    }

    @Test
    void noWriteBegunAfterAHorizonTakesAStampAtOrBelowIt() {
        HandClock hand = new HandClock(5_000_000);
        ChangeClock clock = new ChangeClock(hand);
        long h = clock.horizon();
        // The clock goes back (NTP), a write begins: its stamp is still after the horizon already given out.
        hand.micros = 4_000_000;
        long w = clock.beginWrite();
        assertThat(w).isGreaterThan(h);
        clock.finished(w);
        assertThat(clock.horizon()).isGreaterThanOrEqualTo(w);
    }

    @Test
    void horizonNeverGoesBackwards() {
        HandClock hand = new HandClock(10_000_000);
        ChangeClock clock = new ChangeClock(hand);
        long last = clock.horizon();
        long[] moves = {5, -3, 0, 100, -1000, 7};
        for (long m : moves) {
            hand.micros += m;
            Long w = m % 2 != 0 ? clock.beginWrite() : null;
            long h = clock.horizon();
            assertThat(h).isGreaterThanOrEqualTo(last);
            last = h;
            if (w != null) clock.finished(w);
        }
    }

    @Test
    void concurrentWritesFinishingOutOfOrderKeepTheHorizonBelowTheOldestStillInFlight() {
        HandClock hand = new HandClock(1_000_000);
        ChangeClock clock = new ChangeClock(hand);
        long first = clock.beginWrite();
        long second = clock.beginWrite();
        long third = clock.beginWrite();
        hand.micros = 2_000_000;
        clock.finished(second);
        // first is still in flight: a reader must not report a time at or after it, whoever finished since.
        assertThat(clock.horizon()).isEqualTo(first - 1);
        clock.finished(first);
        assertThat(clock.horizon()).isEqualTo(third - 1);
        clock.finished(third);
        assertThat(clock.horizon()).isEqualTo(2_000_000);
    }

    @Test
    void secondsAndMicrosRoundTripAtTodaysMagnitude() {
        long micros = 1_795_765_253_228_304L;
        assertThat(ChangeClock.toMicros(ChangeClock.toSeconds(micros).doubleValue())).isEqualTo(micros);
        // Through text too, as a client sends it back in a query string.
        double seconds = Double.parseDouble(ChangeClock.toSeconds(micros).toPlainString());
        assertThat(ChangeClock.toMicros(seconds)).isEqualTo(micros);
        for (long m = micros; m < micros + 2_000; m++) {
            assertThat(ChangeClock.toMicros(Double.parseDouble(ChangeClock.toSeconds(m).toPlainString()))).isEqualTo(m);
        }
    }

    @Test
    void nowIsInMicroseconds() {
        ChangeClock clock = new ChangeClock(Clock.fixed(Instant.ofEpochSecond(1_700_000_000, 123_456_789),
                ZoneOffset.UTC));
        assertThat(clock.nowMicros()).isEqualTo(1_700_000_000_123_456L);
        assertThat(ChangeClock.toSeconds(clock.nowMicros())).isEqualByComparingTo("1700000000.123456");
    }

    @Test
    void requestsAskingWhileTheDatabasesHorizonIsReadShareThatReading() throws Exception {
        ChangeClock clock = new ChangeClock(new HandClock(1_000_000));
        AtomicInteger readings = new AtomicInteger();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        clock.shareThrough(() -> {
            int n = readings.incrementAndGet();
            if (n == 1) {
                reading.countDown();
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return new PostgresClock.Reading(500L + n, 0);
        });
        List<Long> got = new CopyOnWriteArrayList<>();
        Thread first = new Thread(() -> got.add(clock.horizon()));
        first.start();
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> meanwhile = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> got.add(clock.horizon()));
            t.start();
            meanwhile.add(t);
        }
        // The four wait for the reading in flight instead of starting their own.
        Wait.until(() -> meanwhile.stream().allMatch(t -> t.getState() == Thread.State.WAITING),
                Duration.ofSeconds(10), "the requests waiting on the reading in flight");
        answer.countDown();
        first.join(10_000);
        for (Thread t : meanwhile) t.join(10_000);
        assertThat(got).containsExactly(501L, 501L, 501L, 501L, 501L);
        assertThat(readings.get()).isEqualTo(1);
        // Once it ended, the next request reads afresh.
        assertThat(clock.horizon()).isEqualTo(502L);
    }

    @Test
    void aNotificationTakesTheLastHorizonReadWithinItsAgeAndReadsAgainPastIt() {
        HandClock hand = new HandClock(1_000_000);
        ChangeClock clock = new ChangeClock(hand);
        AtomicInteger readings = new AtomicInteger();
        clock.shareThrough(() -> new PostgresClock.Reading(700L + readings.incrementAndGet(), 0));
        // Nothing read yet: a reading of its own.
        assertThat(clock.recentHorizon(Duration.ofSeconds(1))).isEqualTo(701L);
        hand.micros += 400_000;
        assertThat(clock.horizon()).isEqualTo(702L);
        hand.micros += 1_000_000;
        // The request's reading is a second old, not more: reused.
        assertThat(clock.recentHorizon(Duration.ofSeconds(1))).isEqualTo(702L);
        assertThat(readings.get()).isEqualTo(2);
        hand.micros += 1;
        assertThat(clock.recentHorizon(Duration.ofSeconds(1))).isEqualTo(703L);
        assertThat(readings.get()).isEqualTo(3);
    }

    @Test
    void aNotificationOnOneProcessTakesTheLocalHorizon() {
        HandClock hand = new HandClock(1_000_000);
        ChangeClock clock = new ChangeClock(hand);
        long inFlight = clock.beginWrite();
        hand.micros += 5_000_000;
        assertThat(clock.recentHorizon(Duration.ofSeconds(1))).isEqualTo(inFlight - 1);
        clock.finished(inFlight);
        assertThat(clock.recentHorizon(Duration.ofSeconds(1))).isEqualTo(hand.micros);
    }

    /**
     * A request checks the other nodes' deletions of accesses as it reads its serverTime: both come from one statement,
     * so the count is as old as the horizon it came with, and a count older than its age is read again.
     */
    @Test
    void theCountOfDeletedAccessesComesWithTheHorizonAndIsReadAgainPastItsAge() {
        HandClock hand = new HandClock(1_000_000);
        ChangeClock clock = new ChangeClock(hand);
        AtomicInteger readings = new AtomicInteger();
        AtomicInteger deletions = new AtomicInteger(3);
        AtomicBoolean down = new AtomicBoolean();
        clock.shareThrough(() -> {
            if (down.get()) throw new IllegalStateException("the database cannot be read");
            return new PostgresClock.Reading(900L + readings.incrementAndGet(), deletions.get());
        });
        Duration age = Duration.ofMillis(10);
        assertThat(clock.horizon()).isEqualTo(901L);
        deletions.set(4);
        // The request's own horizon, 10 ms old: its count serves, with no reading of its own.
        hand.micros += 10_000;
        assertThat(clock.recentAccessDeletions(age)).isEqualTo(3);
        assertThat(readings.get()).isEqualTo(1);
        hand.micros += 1;
        assertThat(clock.recentAccessDeletions(age)).isEqualTo(4);
        assertThat(readings.get()).isEqualTo(2);
        assertThat(clock.recentHorizon(age)).as("and the horizon read with it").isEqualTo(902L);

        down.set(true);
        hand.micros += 10_001;
        assertThatThrownBy(() -> clock.recentAccessDeletions(age)).as("an old count is not trusted")
                .isInstanceOf(IllegalStateException.class);
        assertThat(clock.horizon()).as("while a serverTime falls back to the last one read").isEqualTo(902L);
    }

    @Test
    void oneProcessHasNoOtherNodesDeletionsToHearOf() {
        ChangeClock clock = new ChangeClock(new HandClock(1_000_000));
        assertThat(clock.recentAccessDeletions(Duration.ofMillis(10))).isZero();
    }
}
