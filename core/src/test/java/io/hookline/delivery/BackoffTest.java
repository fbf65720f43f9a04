package io.hookline.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    /** A random source that always draws {@code value} in [0, 1). */
    static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void exponentialFromTheMinimumInterval() {
        Backoff b = new Backoff(HOUR, fixed(0.5)); // 0.5 = no jitter
        assertThat(b.delayMs(1, 1000, null)).isEqualTo(1000);
        assertThat(b.delayMs(2, 1000, null)).isEqualTo(2000);
        assertThat(b.delayMs(3, 1000, null)).isEqualTo(4000);
        assertThat(b.delayMs(6, 5000, null)).isEqualTo(160_000);
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertThat(new Backoff(HOUR, fixed(0.0)).delayMs(3, 1000, null)).isEqualTo(3200);
        assertThat(new Backoff(HOUR, fixed(0.999999)).delayMs(3, 1000, null)).isBetween(4799L, 4800L);
        Backoff real = new Backoff(HOUR, new SplittableRandom(42));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = real.delayMs(2, 5000, null);
            assertThat(d).isBetween(8000L, 12_000L);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // and it does spread: not a constant
        assertThat(max - min).isGreaterThan(3000);
    }

    @Test
    void cappedWithoutOverflow() {
        Backoff b = new Backoff(Duration.ofSeconds(90), fixed(0.999));
        assertThat(b.delayMs(10, 5000, null)).isEqualTo(90_000);
        assertThat(b.delayMs(1000, 5000, null)).isEqualTo(90_000);
        assertThat(b.delayMs(Integer.MAX_VALUE, 5000, null)).isEqualTo(90_000);
    }

    @Test
    void neverSoonerThanTheMinimumInterval() {
        // -20% on the first retry would be 800 ms: the throttle (no two deliveries closer than 1000 ms) wins
        assertThat(new Backoff(HOUR, fixed(0.0)).delayMs(1, 1000, null)).isEqualTo(1000);
        assertThat(new Backoff(HOUR, fixed(0.0)).delayMs(1, 1000, Duration.ofMillis(10))).isEqualTo(1000);
        Backoff real = new Backoff(HOUR, new SplittableRandom(7));
        for (int i = 0; i < 1000; i++) assertThat(real.delayMs(1, 5000, null)).isBetween(5000L, 6000L);
        // and a cap below the minimum interval does not undercut the throttle either
        assertThat(new Backoff(Duration.ofSeconds(1), fixed(0.5)).delayMs(3, 10_000, null)).isEqualTo(10_000);
    }

    @Test
    void retryNumbersBelowOneCountAsTheFirst() {
        Backoff b = new Backoff(HOUR, fixed(0.5));
        assertThat(b.delayMs(0, 1000, null)).isEqualTo(1000);
        assertThat(b.delayMs(-3, 1000, null)).isEqualTo(1000);
    }

    @Test
    void aLongerRetryAfterWinsWithinTheCap() {
        Backoff b = new Backoff(Duration.ofMinutes(10), fixed(0.5));
        assertThat(b.delayMs(1, 1000, Duration.ofSeconds(30))).isEqualTo(30_000);
        assertThat(b.delayMs(4, 1000, Duration.ofSeconds(2))).isEqualTo(8000); // shorter: backoff wins
        assertThat(b.delayMs(1, 1000, Duration.ofHours(5))).isEqualTo(600_000); // capped
        assertThat(b.delayMs(1, 1000, Duration.ZERO)).isEqualTo(1000);
    }
}
