package io.hookline.delivery;

import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTest {
    private final Schedule s = new Schedule();

    @Test
    void nothingIsTakenBeforeItIsDue() {
        s.offer("a", 100);
        assertThat(s.takeDue(99, 10)).isEmpty();
        assertThat(s.takeDue(100, 10)).containsExactly("a");
        assertThat(s.takeDue(1000, 10)).isEmpty();
    }

    @Test
    void earliestDueFirstAndAtMostMax() {
        s.offer("a", 300);
        s.offer("b", 100);
        s.offer("c", 200);
        assertThat(s.takeDue(1000, 2)).containsExactly("b", "c");
        assertThat(s.takeDue(1000, 2)).containsExactly("a");
    }

    @Test
    void theEarliestOfferForOneWebhookWins() {
        s.offer("a", 500);
        s.offer("a", 100);
        assertThat(s.scheduledCount()).isEqualTo(1);
        assertThat(s.takeDue(100, 10)).containsExactly("a");
        assertThat(s.takeDue(500, 10)).isEmpty(); // the superseded entry is not taken twice

        s.offer("b", 100);
        s.offer("b", 500); // later: ignored
        assertThat(s.takeDue(100, 10)).containsExactly("b");
    }

    @Test
    void offerAllIsOfferForEach() {
        s.offer("a", 100);
        assertThat(s.takeDue(100, 10)).containsExactly("a"); // in flight
        s.offer("b", 50);
        s.offerAll(java.util.Map.of("a", 200L, "b", 300L, "c", 150L));
        assertThat(s.takeDue(1000, 10)).containsExactly("b", "c"); // b kept its earlier time; a is in flight
        s.finished("a", false, 0);
        assertThat(s.takeDue(1000, 10)).containsExactly("a"); // offered while in flight: scheduled at its end
    }

    @Test
    void oneDeliveryInFlightPerWebhook() {
        s.offer("a", 0);
        assertThat(s.takeDue(10, 10)).containsExactly("a");
        assertThat(s.inFlightCount()).isEqualTo(1);
        s.offer("a", 0); // new work while in flight
        assertThat(s.takeDue(1000, 10)).isEmpty();
        assertThat(s.scheduledCount()).isZero();
        // the attempt finished with nothing pending, but work was offered meanwhile: due at the throttle time
        s.finished("a", false, 5000);
        assertThat(s.inFlightCount()).isZero();
        assertThat(s.takeDue(4999, 10)).isEmpty();
        assertThat(s.takeDue(5000, 10)).containsExactly("a");
    }

    @Test
    void finishedReschedulesOnlyWhenSomethingRemains() {
        s.offer("a", 0);
        s.takeDue(0, 10);
        s.finished("a", false, 100);
        assertThat(s.scheduledCount()).isZero();
        assertThat(s.takeDue(Long.MAX_VALUE, 10)).isEmpty();

        s.offer("b", 0);
        s.takeDue(0, 10);
        s.finished("b", true, 200); // failed: retry at the backoff time
        assertThat(s.takeDue(199, 10)).isEmpty();
        assertThat(s.takeDue(200, 10)).containsExactly("b");
    }

    @Test
    void forgetDropsScheduledAndOfferedWork() {
        s.offer("a", 0);
        s.forget("a");
        assertThat(s.takeDue(1000, 10)).isEmpty();

        s.offer("b", 0);
        s.takeDue(0, 10);
        s.offer("b", 0);
        s.forget("b");
        s.finished("b", false, 10);
        assertThat(s.takeDue(1000, 10)).isEmpty();

        s.offer("c", 50);
        s.forget("c");
        s.offer("c", 60); // offered again after forget: scheduled anew
        assertThat(s.takeDue(55, 10)).isEmpty();
        assertThat(s.takeDue(60, 10)).containsExactly("c");
    }

    @Test
    void awaitWorkReturnsAtOnceWhenSomethingIsDue() throws InterruptedException {
        s.offer("a", 0);
        long start = System.nanoTime();
        s.awaitWork(() -> 10, 10_000, 4);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void anOfferWakesTheWaitingScheduler() {
        AtomicBoolean woke = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                s.awaitWork(() -> 10, 60_000, 4);
                woke.set(true);
            } catch (InterruptedException ignored) {
                // the test fails on its own
            }
        });
        waiter.start();
        Wait.until(() -> waiter.getState() == Thread.State.TIMED_WAITING, Duration.ofSeconds(5), "waiter to sleep");
        s.offer("a", 0);
        Wait.until(woke::get, Duration.ofSeconds(5), "the offer to wake the scheduler");
    }

    @Test
    void aFullPoolWaitsEvenWhenWorkIsDue() {
        s.offer("a", 0);
        s.offer("b", 0);
        s.takeDue(0, 1); // "a" in flight; capacity 1 is used up
        AtomicBoolean woke = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                s.awaitWork(() -> 10, 60_000, 1);
                woke.set(true);
            } catch (InterruptedException ignored) {
                // the test fails on its own
            }
        });
        waiter.start();
        Wait.until(() -> waiter.getState() == Thread.State.TIMED_WAITING, Duration.ofSeconds(5), "waiter to sleep");
        assertThat(woke).isFalse();
        s.finished("a", false, 0);
        Wait.until(woke::get, Duration.ofSeconds(5), "a finished delivery to wake the scheduler");
    }
}
