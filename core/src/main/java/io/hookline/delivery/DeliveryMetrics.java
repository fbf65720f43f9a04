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
 * in flight and scheduled; failures are also counted by notifier type and kind ({@link #reason}).
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

    void record(String type, DeliveryEngine.Attempted attempted, long durationMicros) {
        latency.update(durationMicros, TimeUnit.MICROSECONDS);
        DeliveryOutcome outcome = attempted.outcome();
        if (outcome instanceof DeliveryOutcome.Delivered) {
            delivered.mark();
            return;
        }
        if (outcome instanceof DeliveryOutcome.Permanent) permanent.mark();
        else retried.mark();
        registry.meter("hookline.deliveries.failures." + type + "." + reason(attempted)).mark();
    }

    /**
     * A failure's kind, for {@code hookline.deliveries.failures.<type>.<kind>}: {@code held} (the server's side),
     * {@code timeout}, {@code no-answer}, {@code rate-limited} (429), {@code gone} (410), {@code client-error} (other
     * 4xx), {@code server-error} (5xx), {@code other}. A fixed set, so the number of meters stays bounded.
     */
    static String reason(DeliveryEngine.Attempted attempted) {
        if (attempted.held()) return "held";
        DeliveryOutcome o = attempted.outcome();
        int status = o.status();
        if (status == 0) return o.reason() != null && o.reason().startsWith("timed out") ? "timeout" : "no-answer";
        if (status == 429) return "rate-limited";
        if (status == 410) return "gone";
        if (status >= 400 && status < 500) return "client-error";
        if (status >= 500 && status < 600) return "server-error";
        return "other";
    }
}
