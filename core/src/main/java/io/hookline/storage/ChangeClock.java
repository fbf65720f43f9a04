package io.hookline.storage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;

/**
 * Hands out change timestamps (microseconds since the epoch) so that a client syncing with
 * {@code modifiedSince = <serverTime of its last call>} never misses a change.
 *
 * <p>Every write takes a strictly increasing stamp. A request's {@code serverTime} is its {@link #horizon()}:
 * a time before every write still in flight and at or after every write already committed, and no later write can
 * take a stamp at or below it. So "modified after my last serverTime" misses nothing, whatever the interleaving;
 * a write that commits while a read runs may be seen by it and again by the next sync (at least once).
 */
public final class ChangeClock {
    private final Clock clock;
    private long last;
    private long oldestInFlight = Long.MAX_VALUE;
    private int inFlight;

    public ChangeClock(Clock clock) {
        this.clock = clock;
    }

    /** A stamp for a write that is about to happen; pair it with {@link #committed()}. */
    public synchronized long beginWrite() {
        long t = Math.max(nowMicros(), last + 1);
        last = t;
        if (inFlight++ == 0) oldestInFlight = t;
        return t;
    }

    /** Marks every write begun so far as finished (committed or rolled back); the writer is single-threaded. */
    public synchronized void committed() {
        inFlight = 0;
        oldestInFlight = Long.MAX_VALUE;
    }

    /**
     * The time a read may report as its {@code serverTime}. Never below an earlier horizon: while a write is in
     * flight it is just below that write's stamp, which is above every stamp and horizon handed out before.
     */
    public synchronized long horizon() {
        long now = nowMicros();
        long h = inFlight > 0 ? oldestInFlight - 1 : Math.max(now, last);
        last = Math.max(last, h);
        return h;
    }

    public long nowMicros() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** Now, as the clock every time rule of the server reads (throttle, backoff, attempt times). */
    public Instant instant() {
        return clock.instant();
    }

    /** Float seconds as the wire shows them: exactly the microseconds, so at most 6 fraction digits. */
    public static BigDecimal toSeconds(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }

    /** A user's float-second time as the wire shows it, rounded to the microsecond. */
    public static BigDecimal roundSeconds(double seconds) {
        return BigDecimal.valueOf(seconds).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    public static long toMicros(double seconds) {
        return Math.round(seconds * 1_000_000.0);
    }
}
