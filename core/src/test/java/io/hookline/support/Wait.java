package io.hookline.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a bound: the one way tests wait. */
public final class Wait {
    private Wait() {
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
