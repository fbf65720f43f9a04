package io.hookline.delivery;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hookline.notifier.DeliveryOutcome;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery metrics on the admin port: {@code hookline.deliveries.<outcome>} meters (delivered, retry, permanent),
 * the same counts by notifier type ({@link #countsByType}, for the Prometheus counter labelled by outcome and type),
 * {@code hookline.deliveries.latency} (notifier call time), failures by notifier type and kind
 * ({@code hookline.deliveries.failures.<type>.<kind>}, see {@link #kind}), and gauges for how late the latest
 * delivery that could run is ({@code hookline.deliveries.lagMs}, see {@link DeliveryLag}), the number of inactive
 * webhooks, and the deliveries in flight and scheduled; on PostgreSQL, this node's leases, claims, claims given back
 * without a recorded attempt and discarded late results.
 */
public final class DeliveryMetrics {
    /** The outcomes counted, each by the meter {@link #outcomeMeter}. */
    public static final List<String> OUTCOMES = List.of("delivered", "retry", "permanent");
    private static final String OUTCOME_PREFIX = "hookline.deliveries.";
    private static final String FAILURES_PREFIX = "hookline.deliveries.failures.";
    /** How the engine's reason for an attempt that ran out of time starts. */
    static final String TIMED_OUT = "timed out";

    private final Meter delivered;
    private final Meter retried;
    private final Meter permanent;
    private final Timer latency;
    private final MetricRegistry registry;
    /** Type, then outcome: bounded by the installed types (a webhook's type is checked at create). */
    private final Map<String, Map<String, LongAdder>> byType = new ConcurrentHashMap<>();

    /** @param types the installed notifier types, counted from zero so that each shows before its first delivery */
    public DeliveryMetrics(MetricRegistry registry, DeliveryStore store, DeliveryLag lag, Collection<String> types) {
        this.registry = registry;
        delivered = registry.meter(outcomeMeter("delivered"));
        retried = registry.meter(outcomeMeter("retry"));
        permanent = registry.meter(outcomeMeter("permanent"));
        latency = registry.timer("hookline.deliveries.latency");
        registry.gauge("hookline.deliveries.lagMs", () -> lag::worstMs);
        registry.gauge("hookline.webhooks.inactive", () -> store::inactiveCount);
        registry.gauge("hookline.deliveries.inFlight", () -> store::claimedCount);
        registry.gauge("hookline.deliveries.scheduled", () -> store::scheduledCount);
        types.forEach(this::countersOf);
        if (store instanceof PostgresDeliveryStore leases) {
            // This node's part of the cluster's work: leases held now, claims made and given back, late results
            // discarded.
            registry.gauge("hookline.deliveries.leases", () -> leases::claimedCount);
            registry.gauge("hookline.deliveries.claims", () -> leases::claims);
            registry.gauge("hookline.deliveries.givenBack", () -> leases::givenBack);
            registry.gauge("hookline.deliveries.discarded", () -> leases::discarded);
        }
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
        latency.update(tried.durationMicros(), TimeUnit.MICROSECONDS);
        Attempted attempted = tried.attempted();
        String outcome = outcomeOf(attempted.outcome());
        countersOf(type).get(outcome).increment();
        switch (outcome) {
            case "delivered" -> delivered.mark();
            case "permanent" -> permanent.mark();
            default -> retried.mark();
        }
        if (!attempted.delivered()) registry.meter(FAILURES_PREFIX + type + "." + kind(attempted)).mark();
    }

    /**
     * A failure's kind, for {@code hookline.deliveries.failures.<type>.<kind>}: {@code held} (Hookline's side),
     * {@code timeout}, {@code no-answer}, {@code rate-limited} (429), {@code gone} (410), {@code client-error} (other
     * 4xx), {@code server-error} (5xx), {@code other}. A fixed set, so that the number of meters stays bounded.
     */
    static String kind(Attempted attempted) {
        if (attempted.held()) return "held";
        DeliveryOutcome o = attempted.outcome();
        int status = o.status();
        if (status == 0) return o.reason() != null && o.reason().startsWith(TIMED_OUT) ? "timeout" : "no-answer";
        if (status == 429) return "rate-limited";
        if (status == 410) return "gone";
        if (status >= 400 && status < 500) return "client-error";
        if (status >= 500 && status < 600) return "server-error";
        return "other";
    }
}
