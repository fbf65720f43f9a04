package io.hookline.console;

import io.dropwizard.lifecycle.Managed;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the console's charts draw: per minute, the deliveries by outcome and how long the oldest due notification had
 * been waiting at the end of it. Kept in memory, in a ring of the last {@link #MINUTES} minutes sampled once a
 * minute (a restart starts it empty): the durable record is Prometheus's, scraped from the admin port.
 */
public final class DeliveryHistory implements Managed {
    /** An hour of minutes: bounded whatever runs. */
    public static final int MINUTES = 60;
    private static final long MINUTE_MS = 60_000;

    /** One minute: when it started (epoch ms), the attempts by outcome in it, and the oldest due age at its end. */
    public record Minute(long startMs, long delivered, long retry, long permanent, long oldestDueMs) {
    }

    private final Clock clock;
    private final Supplier<Map<String, Long>> counts;
    private final LongSupplier oldestDueMs;
    private final ArrayDeque<Minute> ring = new ArrayDeque<>(MINUTES);
    private Map<String, Long> countsAtStart;
    private long minuteStart;
    private ScheduledExecutorService timer;

    /**
     * @param counts      attempts so far by outcome ({@code delivered}, {@code retry}, {@code permanent})
     * @param oldestDueMs how long the oldest due notification has been waiting, now
     */
    public DeliveryHistory(Clock clock, Supplier<Map<String, Long>> counts, LongSupplier oldestDueMs) {
        this.clock = clock;
        this.counts = counts;
        this.oldestDueMs = oldestDueMs;
        this.countsAtStart = counts.get();
        this.minuteStart = clock.millis();
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hookline-console-history");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, MINUTE_MS, MINUTE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) timer.shutdownNow();
    }

    /** Ends the current minute: its counts join the ring (the oldest minute leaves it past {@link #MINUTES}). */
    synchronized void sample() {
        Minute m = current();
        if (ring.size() == MINUTES) ring.removeFirst();
        ring.addLast(m);
        countsAtStart = counts.get();
        minuteStart = clock.millis();
    }

    /** The sampled minutes, oldest first, then the minute in progress. */
    public synchronized List<Minute> minutes() {
        List<Minute> out = new ArrayList<>(ring);
        out.add(current());
        return out;
    }

    private Minute current() {
        Map<String, Long> now = counts.get();
        return new Minute(minuteStart, since(now, "delivered"), since(now, "retry"), since(now, "permanent"),
                oldestDueMs.getAsLong());
    }

    private long since(Map<String, Long> now, String outcome) {
        return now.getOrDefault(outcome, 0L) - countsAtStart.getOrDefault(outcome, 0L);
    }
}
