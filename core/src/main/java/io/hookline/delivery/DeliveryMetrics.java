package io.hookline.delivery;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hookline.notifier.DeliveryOutcome;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Delivery metrics on the admin port: {@code hookline.deliveries.<outcome>} meters (delivered, retry, permanent),
 * {@code hookline.deliveries.latency} (notifier call time), failures by notifier type and kind
 * ({@code hookline.deliveries.failures.<type>.<kind>}, see {@link #kind}), and gauges for how late the latest
 * delivery that could run is ({@code hookline.deliveries.lagMs}, see {@link DeliveryLag}), the number of inactive
 * webhooks, and the deliveries in flight and scheduled.
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

    public DeliveryMetrics(MetricRegistry registry, DeliveryStore store, DeliveryLag lag) {
        this.registry = registry;
        delivered = registry.meter(outcomeMeter("delivered"));
        retried = registry.meter(outcomeMeter("retry"));
        permanent = registry.meter(outcomeMeter("permanent"));
        latency = registry.timer("hookline.deliveries.latency");
        registry.gauge("hookline.deliveries.lagMs", () -> lag::worstMs);
        registry.gauge("hookline.webhooks.inactive", () -> store::inactiveCount);
        registry.gauge("hookline.deliveries.inFlight", () -> store::claimedCount);
        registry.gauge("hookline.deliveries.scheduled", () -> store::scheduledCount);
    }

    public static String outcomeMeter(String outcome) {
        return OUTCOME_PREFIX + outcome;
    }

    public static boolean isOutcomeMeter(String name) {
        return name.startsWith(OUTCOME_PREFIX) && OUTCOMES.contains(name.substring(OUTCOME_PREFIX.length()));
    }

    void record(String type, Attempted attempted, long durationMicros) {
        latency.update(durationMicros, TimeUnit.MICROSECONDS);
        DeliveryOutcome outcome = attempted.outcome();
        if (attempted.delivered()) {
            delivered.mark();
            return;
        }
        if (outcome instanceof DeliveryOutcome.Permanent) permanent.mark();
        else retried.mark();
        registry.meter(FAILURES_PREFIX + type + "." + kind(attempted)).mark();
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
