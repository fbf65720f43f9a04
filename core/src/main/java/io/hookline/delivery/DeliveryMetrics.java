package io.hookline.delivery;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.ChangeClock;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery metrics on the admin port: {@code hookline.deliveries.<outcome>} meters (delivered, retry, permanent),
 * the same counts by notifier type ({@link #countsByType}, for the Prometheus counter), {@code
 * hookline.deliveries.latency} (notifier call time), and gauges for the age of the oldest pending message, the number
 * of inactive webhooks, and the deliveries in flight and scheduled.
 */
public final class DeliveryMetrics {
    /** The outcomes counted, each by the meter {@link #outcomeMeter}. */
    public static final List<String> OUTCOMES = List.of("delivered", "retry", "permanent");
    private static final String OUTCOME_PREFIX = "hookline.deliveries.";

    private final Meter delivered;
    private final Meter retried;
    private final Meter permanent;
    private final Timer latency;
    /** Type, then outcome: bounded by the installed types (a webhook's type is checked at create). */
    private final Map<String, Map<String, LongAdder>> byType = new ConcurrentHashMap<>();

    /** @param types the installed notifier types, counted from zero so that each shows before its first delivery */
    public DeliveryMetrics(MetricRegistry registry, DeliveryStore store, ChangeClock clock, Collection<String> types) {
        delivered = registry.meter(outcomeMeter("delivered"));
        retried = registry.meter(outcomeMeter("retry"));
        permanent = registry.meter(outcomeMeter("permanent"));
        latency = registry.timer("hookline.deliveries.latency");
        registry.gauge("hookline.deliveries.oldestPendingAgeMs", () -> () -> {
            Long oldest = store.oldestPending();
            return oldest == null ? 0L : (clock.nowMicros() - oldest) / 1000;
        });
        registry.gauge("hookline.webhooks.inactive", () -> store::inactiveCount);
        registry.gauge("hookline.deliveries.inFlight", () -> store::claimedCount);
        registry.gauge("hookline.deliveries.scheduled", () -> store::scheduledCount);
        types.forEach(this::countersOf);
    }

    public static String outcomeMeter(String outcome) {
        return OUTCOME_PREFIX + outcome;
    }

    public static boolean isOutcomeMeter(String name) {
        return name.startsWith(OUTCOME_PREFIX) && OUTCOMES.contains(name.substring(OUTCOME_PREFIX.length()));
    }

    /** The outcome's name in {@link #OUTCOMES}. */
    public static String outcomeOf(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) return "delivered";
        if (outcome instanceof DeliveryOutcome.Permanent) return "permanent";
        return "retry";
    }

    /** Attempts so far by notifier type, then outcome, each type with every outcome; sorted. */
    public Map<String, Map<String, Long>> countsByType() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        byType.forEach((type, counts) -> {
            Map<String, Long> c = new TreeMap<>();
            counts.forEach((outcome, n) -> c.put(outcome, n.sum()));
            out.put(type, c);
        });
        return out;
    }

    /** Attempts so far by outcome, every type together. */
    public Map<String, Long> counts() {
        return Map.of("delivered", delivered.getCount(), "retry", retried.getCount(),
                "permanent", permanent.getCount());
    }

    private Map<String, LongAdder> countersOf(String type) {
        return byType.computeIfAbsent(type, t -> {
            Map<String, LongAdder> c = new ConcurrentHashMap<>();
            OUTCOMES.forEach(o -> c.put(o, new LongAdder()));
            return c;
        });
    }

    void record(String type, Tried tried) {
        DeliveryOutcome outcome = tried.outcome();
        latency.update(tried.durationMicros(), TimeUnit.MICROSECONDS);
        String name = outcomeOf(outcome);
        countersOf(type).get(name).increment();
        switch (name) {
            case "delivered" -> delivered.mark();
            case "permanent" -> permanent.mark();
            default -> retried.mark();
        }
    }
}
