package io.hookline.support;

import io.hookline.HooklineApplication;

import java.time.Clock;
import java.time.Duration;

/**
 * Hookline whose clock is off by the milliseconds of the system property {@code hookline.test.clockOffsetMs}: a node of
 * a cluster whose machine keeps the wrong time.
 */
public final class SkewedClockHookline {
    public static final String OFFSET_PROPERTY = "hookline.test.clockOffsetMs";

    private SkewedClockHookline() {
    }

    public static void main(String[] args) throws Exception {
        Duration offset = Duration.ofMillis(Long.getLong(OFFSET_PROPERTY, 0));
        new HooklineApplication(Clock.offset(Clock.systemUTC(), offset)).run(args);
    }
}
