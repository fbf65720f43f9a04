package io.hookline.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Waits between attempts. Retry n waits {@code minIntervalMs × 2^(n−1)} with ±20% jitter, capped; a
 * {@code Retry-After} the target gave wins when it is longer (within the same cap). Never less than
 * {@code minIntervalMs}, the throttle.
 */
public final class Backoff {
    private final long capMs;
    private final RandomGenerator random;

    public Backoff(Duration cap, RandomGenerator random) {
        this.capMs = cap.toMillis();
        this.random = random;
    }

    /** @param retry 1 for the first retry after a failure */
    public long delayMs(int retry, long minIntervalMs, Duration retryAfter) {
        double base = minIntervalMs * Math.pow(2, Math.min(Math.max(retry, 1) - 1, 40));
        double jittered = base * (0.8 + 0.4 * random.nextDouble());
        long delay = (long) Math.min(capMs, jittered);
        if (retryAfter != null && retryAfter.toMillis() > delay) delay = Math.min(capMs, retryAfter.toMillis());
        // Never sooner than the throttle: -20% jitter on the first retry would otherwise send the next attempt
        // 0.8 x minIntervalMs after the last one, and no two deliveries may be closer than minIntervalMs.
        return Math.max(delay, minIntervalMs);
    }
}
