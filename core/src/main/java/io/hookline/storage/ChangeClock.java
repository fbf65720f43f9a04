package io.hookline.storage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Hands out change timestamps (microseconds since the epoch) so that a client syncing with
 * {@code modifiedSince = <serverTime of its last call>} never misses a change.
 *
 * <p>Every write takes a strictly increasing stamp. A request's {@code serverTime} is its {@link #horizon()}:
 * a time before every write still in flight and at or after every write already committed, and no later write can
 * take a stamp at or below it. So "modified after my last serverTime" misses nothing, whatever the interleaving;
 * a write that commits while a read runs may be seen by it and again by the next sync (at least once).
 *
 * <p>Writes may run concurrently (PostgreSQL) and finish in any order: each stamp stays in flight until its own write
 * finished. That covers the writes of this process only: on PostgreSQL, where several nodes write one database, the
 * horizon is the database's instead ({@link PostgresClock}), and each stamp is at least the database's time.
 */
public final class ChangeClock {
    private final Clock clock;
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long last;
    /** The database's horizon (PostgreSQL), read once for every request that asks meanwhile. */
    private volatile SharedReading sharedHorizon;
    /** The count of deleted accesses read with the latest horizon ({@link #recentAccessDeletions}). */
    private final AtomicLong accessDeletions = new AtomicLong();

    public ChangeClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * PostgreSQL: every {@link #horizon()} comes from the database, over the writes of every node, and brings the
     * database's count of deleted accesses with it.
     */
    void shareThrough(Supplier<PostgresClock.Reading> database) {
        this.sharedHorizon = new SharedReading(() -> {
            PostgresClock.Reading r = database.get();
            // Set before the reading's time is published: whoever sees that time sees this count or a later one.
            accessDeletions.accumulateAndGet(r.accessDeletions(), Math::max);
            return r.horizon();
        }, this::nowMicros, 0);
    }

    /** Whether horizons come from the database ({@link #shareThrough}); stamps must then follow its clock. */
    boolean shared() {
        return sharedHorizon != null;
    }

    /** A stamp for a write that is about to happen; pair it with {@link #finished(long)}. */
    public long beginWrite() {
        return beginWriteAtLeast(Long.MIN_VALUE);
    }

    /** As {@link #beginWrite()}, never below {@code floor} (the database's time when the write began). */
    synchronized long beginWriteAtLeast(long floor) {
        long t = Math.max(Math.max(nowMicros(), floor), last + 1);
        last = t;
        inFlight.add(t);
        return t;
    }

    /** Marks the write of this stamp as finished (committed or rolled back). Writes may finish in any order. */
    public synchronized void finished(long stamp) {
        inFlight.remove(stamp);
    }

    /**
     * The time a read may report as its {@code serverTime}. Never below an earlier horizon: while writes are in
     * flight it is just below the oldest one's stamp, which is above every stamp and horizon handed out before it.
     */
    public long horizon() {
        SharedReading shared = sharedHorizon;
        if (shared == null) return localHorizon();
        try {
            // Sharing a reading in flight is safe: its statement started before this request reads anything, and any
            // horizon taken before a read is a valid serverTime for it (an earlier one only repeats some changes).
            return shared.fresh();
        } catch (RuntimeException e) {
            // The database cannot say now (an error answer is being written, or it is unreachable): an earlier sync
            // point makes a client see some changes again, never miss one.
            return shared.latest();
        }
    }

    /**
     * A serverTime for a write about to run, or a notification about to be sent: on PostgreSQL, the latest horizon
     * this node read if that reading started at most {@code maxAge} ago, else a new reading. Any horizon read earlier
     * is a valid sync point (a sync from it sees again the changes of that short while, and misses none). A busy node
     * then reads the database's horizon about once per {@code maxAge}, and a delivery spends no round trip of its own
     * between its claim and its send.
     */
    public long recentHorizon(Duration maxAge) {
        SharedReading shared = sharedHorizon;
        if (shared == null) return localHorizon();
        try {
            return shared.recent(maxAge);
        } catch (RuntimeException e) {
            return shared.latest();
        }
    }

    /**
     * The database's {@link Generations#ACCESSES} counter, read with a horizon that started at most {@code maxAge}
     * ago, else with a new one: a request that asks for both pays one round trip, and a busy node reads them about
     * once per {@code maxAge}. One process without a shared database has no other node to hear from: always 0.
     * Throws when the database cannot be read (a count that old must not be trusted).
     */
    public long recentAccessDeletions(Duration maxAge) {
        SharedReading shared = sharedHorizon;
        if (shared == null) return 0;
        shared.recent(maxAge);
        return accessDeletions.get();
    }

    private synchronized long localHorizon() {
        long h = inFlight.isEmpty() ? Math.max(nowMicros(), last) : inFlight.first() - 1;
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
