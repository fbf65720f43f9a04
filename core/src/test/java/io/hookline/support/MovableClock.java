package io.hookline.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset a test moves forward, to reach an expiry without waiting for it; or, {@link #stopped},
 * a clock that moves only when the test moves it.
 */
public final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Clock base;

    public MovableClock() {
        this(Clock.systemUTC());
    }

    private MovableClock(Clock base) {
        this.base = base;
    }

    /** A clock at the present instant that stands still until {@link #advance}d. */
    public static MovableClock stopped() {
        return new MovableClock(Clock.fixed(Instant.now(), ZoneOffset.UTC));
    }

    public void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
