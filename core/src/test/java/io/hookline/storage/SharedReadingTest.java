package io.hookline.storage;

import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reading shared by the callers asking while it runs, and reused while it is recent enough. */
class SharedReadingTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger readings = new AtomicInteger();

    @Test
    void aReadingsAgeCountsFromItsStartNotFromWhenACallerJoinedIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        SharedReading shared = new SharedReading(() -> {
            int n = readings.incrementAndGet();
            if (n == 1) {
                started.countDown();
                await(answer);
            }
            return 10L * n;
        }, now::get, 0);
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(shared::fresh);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        now.addAndGet(5_000);
        Thread joiner = new Thread(shared::fresh);
        joiner.start();
        Wait.until(() -> joiner.getState() == Thread.State.WAITING, Duration.ofSeconds(10),
                "the second caller to wait on the reading in flight");
        answer.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(10L);
        joiner.join(10_000);
        assertThat(readings).hasValue(1);

        // The reading started 5 ms ago, though the second caller got it just now.
        assertThat(shared.recent(Duration.ofMillis(5))).isEqualTo(10L);
        now.addAndGet(1);
        assertThat(shared.recent(Duration.ofMillis(5))).isEqualTo(20L);
        assertThat(readings).hasValue(2);
    }

    @Test
    void aFailedReadingReachesItsCallersAndKeepsTheLatestValue() {
        AtomicInteger failing = new AtomicInteger();
        SharedReading shared = new SharedReading(() -> {
            if (failing.get() > 0) throw new IllegalStateException("unreachable");
            return 100L + readings.incrementAndGet();
        }, now::get, 7);
        assertThat(shared.latest()).isEqualTo(7L);
        assertThat(shared.fresh()).isEqualTo(101L);
        failing.set(1);
        assertThatThrownBy(shared::fresh).hasMessage("unreachable");
        assertThat(shared.latest()).isEqualTo(101L);
        failing.set(0);
        assertThat(shared.fresh()).isEqualTo(102L);
    }

    @Test
    void aValueNeverGoesBack() {
        AtomicLong source = new AtomicLong(50);
        SharedReading shared = new SharedReading(source::get, now::get, 0);
        assertThat(shared.fresh()).isEqualTo(50L);
        source.set(40);
        assertThat(shared.fresh()).isEqualTo(50L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
