package io.hookline.delivery;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hookline.notifier.DeliveryOutcome;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Delivery metrics on the admin port: {@code hookline.deliveries.<outcome>} meters (delivered, retry, permanent),
 * {@code hookline.deliveries.latency} (notifier call time), and gauges for how late the latest delivery is
 * ({@code hookline.deliveries.lagMs}, see {@link DeliveryLag}), the number of inactive webhooks, and the deliveries
 * in flight and scheduled.
 */
public final class DeliveryMetrics {
    private final Meter delivered;
    private final Meter retried;
    private final Meter permanent;
    private final Timer latency;
    private final MetricRegistry registry;

    public DeliveryMetrics(MetricRegistry registry, Supplier<Long> inactiveWebhooks) {
        delivered = registry.meter("hookline.deliveries.delivered");
        retried = registry.meter("hookline.deliveries.retry");
        permanent = registry.meter("hookline.deliveries.permanent");
        latency = registry.timer("hookline.deliveries.latency");
        this.registry = registry;
        registry.gauge("hookline.webhooks.inactive", () -> inactiveWebhooks::get);
    }

    /**
     * Gauges of the engine's schedule: deliveries in flight, webhooks waiting for their due time, and how late the
     * latest delivery that could run is.
     */
    void watch(Schedule schedule, DeliveryLag lag) {
        registry.gauge("hookline.deliveries.lagMs", () -> lag::worstMs);
        registry.gauge("hookline.deliveries.inFlight", () -> schedule::inFlightCount);
        registry.gauge("hookline.deliveries.scheduled", () -> schedule::scheduledCount);
    }

    void record(DeliveryOutcome outcome, long durationMicros) {
        latency.update(durationMicros, TimeUnit.MICROSECONDS);
        if (outcome instanceof DeliveryOutcome.Delivered) delivered.mark();
        else if (outcome instanceof DeliveryOutcome.Permanent) permanent.mark();
        else retried.mark();
    }
}
