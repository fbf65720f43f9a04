package io.hookline.bench;

import java.util.Arrays;

/** Percentiles of a set of durations given in nanoseconds (nearest-rank). */
final class Stats {
    private final long[] sorted;

    Stats(long[] nanos, int count) {
        sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
    }

    static Stats of(long[] nanos) {
        return new Stats(nanos, nanos.length);
    }

    /** These durations and {@code other}'s together. */
    Stats plus(Stats other) {
        long[] both = Arrays.copyOf(sorted, sorted.length + other.sorted.length);
        System.arraycopy(other.sorted, 0, both, sorted.length, other.sorted.length);
        return of(both);
    }

    int count() {
        return sorted.length;
    }

    /** The {@code p}th percentile (0 to 100) in milliseconds; NaN when empty. */
    double ms(double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
    }

    double maxMs() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }
}
