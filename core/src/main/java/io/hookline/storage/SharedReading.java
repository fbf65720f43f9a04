package io.hookline.storage;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A number only the database knows and that never goes back (a horizon, a counter), read for many callers at once:
 * one reading at a time, shared by every caller that asks while it runs, and the latest kept with the time its reading
 * started, so that a caller content with a recent value spends no round trip. Under load this keeps one query in
 * flight instead of one per request.
 */
final class SharedReading {
    private final LongSupplier source;
    private final LongSupplier nowMicros;
    private final AtomicLong latest;
    /** When the reading that gave {@link #latest} started; none yet: {@code Long.MIN_VALUE}. */
    private volatile long latestAtMicros = Long.MIN_VALUE;
    private CompletableFuture<Long> reading;
    private final Object readingLock = new Object();

    /** @param before what {@link #latest} gives until a reading succeeds */
    SharedReading(LongSupplier source, LongSupplier nowMicros, long before) {
        this.source = source;
        this.nowMicros = nowMicros;
        this.latest = new AtomicLong(before);
    }

    /**
     * A reading that started after this call, or the one running when it came (which started shortly before: every
     * caller that asks meanwhile shares it). Throws what the reading threw.
     */
    long fresh() {
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> theirs;
        synchronized (readingLock) {
            theirs = reading;
            if (theirs == null) reading = mine;
        }
        if (theirs != null) return await(theirs);
        try {
            long startedAt = nowMicros.getAsLong();
            long value = latest.accumulateAndGet(source.getAsLong(), Math::max);
            // The value first, then its time: whoever sees this time sees this value or a later one.
            latestAtMicros = startedAt;
            mine.complete(value);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            synchronized (readingLock) {
                reading = null;
            }
        }
        return await(mine);
    }

    /** The latest value if its reading started at most {@code maxAge} ago, else {@link #fresh()}. */
    long recent(Duration maxAge) {
        long at = latestAtMicros;
        if (at != Long.MIN_VALUE && nowMicros.getAsLong() - at <= maxAge.toNanos() / 1000) return latest.get();
        return fresh();
    }

    /** The greatest value read so far, without a round trip. */
    long latest() {
        return latest.get();
    }

    private static long await(CompletableFuture<Long> reading) {
        try {
            return reading.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
