package io.hookline.delivery;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.ChangeClock;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Delivery metrics on the admin port: {@code hookline.deliveries.<outcome>} meters (delivered, retry, permanent),
 * {@code hookline.deliveries.latency} (notifier call time), and gauges for the age of the oldest pending message,
 * the number of inactive webhooks, and the deliveries in flight and scheduled; on PostgreSQL, this node's leases,
 * claims and discarded late results.
 */
public final class DeliveryMetrics {
    /** The outcomes counted, each by the meter {@link #outcomeMeter}. */
    public static final List<String> OUTCOMES = List.of("delivered", "retry", "permanent");
    private static final String OUTCOME_PREFIX = "hookline.deliveries.";

    private final Meter delivered;
    private final Meter retried;
    private final Meter permanent;
    private final Timer latency;

    public DeliveryMetrics(MetricRegistry registry, DeliveryStore store, ChangeClock clock) {
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
        if (store instanceof PostgresDeliveryStore leases) {
            // This node's part of the cluster's work: leases held now, claims made and late results discarded.
            registry.gauge("hookline.deliveries.leases", () -> leases::claimedCount);
            registry.gauge("hookline.deliveries.claims", () -> leases::claims);
            registry.gauge("hookline.deliveries.discarded", () -> leases::discarded);
        }
    }

    public static String outcomeMeter(String outcome) {
        return OUTCOME_PREFIX + outcome;
    }

    public static boolean isOutcomeMeter(String name) {
        return name.startsWith(OUTCOME_PREFIX) && OUTCOMES.contains(name.substring(OUTCOME_PREFIX.length()));
    }

    void record(DeliveryOutcome outcome, long durationMicros) {
        latency.update(durationMicros, TimeUnit.MICROSECONDS);
        if (outcome instanceof DeliveryOutcome.Delivered) delivered.mark();
        else if (outcome instanceof DeliveryOutcome.Permanent) permanent.mark();
        else retried.mark();
    }
}
