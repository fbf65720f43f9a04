package io.hookline.delivery;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hookline.notifier.DeliveryOutcome;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Delivery metrics on the admin port: {@code hookline.deliveries.<outcome>} meters (delivered, retry, permanent),
 * {@code hookline.deliveries.latency} (notifier call time), and gauges for the age of the oldest pending message,
 * the number of inactive webhooks, and the deliveries in flight, scheduled, and due (waiting for a free place).
 */
public final class DeliveryMetrics {
    /** The outcomes counted, each by the meter {@link #outcomeMeter}. */
    public static final List<String> OUTCOMES = List.of("delivered", "retry", "permanent");
    private static final String OUTCOME_PREFIX = "hookline.deliveries.";

    private final Meter delivered;
    private final Meter retried;
    private final Meter permanent;
    private final Timer latency;
    private final MetricRegistry registry;

    public DeliveryMetrics(MetricRegistry registry, Supplier<Long> oldestPendingAgeMs, Supplier<Long> inactiveWebhooks) {
        delivered = registry.meter(outcomeMeter("delivered"));
        retried = registry.meter(outcomeMeter("retry"));
        permanent = registry.meter(outcomeMeter("permanent"));
        latency = registry.timer("hookline.deliveries.latency");
        this.registry = registry;
        registry.gauge("hookline.deliveries.oldestPendingAgeMs", () -> oldestPendingAgeMs::get);
        registry.gauge("hookline.webhooks.inactive", () -> inactiveWebhooks::get);
    }

    public static String outcomeMeter(String outcome) {
        return OUTCOME_PREFIX + outcome;
    }

    public static boolean isOutcomeMeter(String name) {
        return name.startsWith(OUTCOME_PREFIX) && OUTCOMES.contains(name.substring(OUTCOME_PREFIX.length()));
    }

    /** Gauges of the engine's schedule: deliveries in flight, and webhooks waiting for their due time. */
    void watch(Schedule schedule, LongSupplier nowMicros) {
        registry.gauge("hookline.deliveries.inFlight", () -> schedule::inFlightCount);
        registry.gauge("hookline.deliveries.scheduled", () -> schedule::scheduledCount);
        registry.gauge("hookline.deliveries.due", () -> () -> schedule.dueCount(nowMicros.getAsLong()));
    }

    void record(DeliveryOutcome outcome, long durationMicros) {
        latency.update(durationMicros, TimeUnit.MICROSECONDS);
        if (outcome instanceof DeliveryOutcome.Delivered) delivered.mark();
        else if (outcome instanceof DeliveryOutcome.Permanent) permanent.mark();
        else retried.mark();
    }
}
