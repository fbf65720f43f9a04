package io.hookline.delivery;

import com.codahale.metrics.health.HealthCheck;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;

import java.util.List;

/** Health checks of delivery: every webhook's notifier is installed, and nothing due waits too long. */
public final class DeliveryHealth {
    private DeliveryHealth() {
    }

    /** Unhealthy while active webhooks name a type no installed plugin delivers. */
    public static HealthCheck plugins(Database db, Notifiers notifiers) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<String> types = db.read(h -> h.createQuery(
                        "SELECT DISTINCT type FROM webhooks WHERE state = 'active'").mapTo(String.class).list());
                List<String> missing = types.stream().filter(t -> notifiers.find(t).isEmpty()).toList();
                return missing.isEmpty()
                        ? Result.healthy("types installed: " + notifiers.types())
                        : Result.unhealthy("active webhooks of uninstalled type(s) " + missing
                        + "; installed: " + notifiers.types());
            }
        };
    }

    /**
     * Always healthy (a node's share of the work comes and goes): says which node this is, the leases it holds, the
     * claims it made and the discarded late results, and how long the cluster's oldest pending notification waits.
     */
    public static HealthCheck leases(PostgresDeliveryStore store, ChangeClock clock) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                Long oldest = store.oldestPending();
                return Result.healthy("node " + store.node() + " holds " + store.claimedCount() + " lease(s); "
                        + store.claims() + " claim(s), " + store.discarded() + " late result(s) discarded since start; "
                        + "oldest pending notification of the cluster: "
                        + (oldest == null ? "none" : (clock.nowMicros() - oldest) / 1000 + " ms"));
            }
        };
    }

    /** Unhealthy when an active webhook has been due for longer than {@code maxLagMs} without being delivered. */
    public static HealthCheck lag(Database db, long maxLagMs) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                long limit = db.clock().nowMicros() - maxLagMs * 1000;
                long late = db.read(h -> h.createQuery("SELECT COUNT(*) FROM webhooks w WHERE w.state = 'active' "
                                + "AND w.next_attempt_at < ? AND w.id IN (SELECT webhook_id FROM webhook_pending)")
                        .bind(0, limit).mapTo(Long.class).one());
                return late == 0 ? Result.healthy()
                        : Result.unhealthy(late + " webhook(s) due for more than " + maxLagMs + " ms");
            }
        };
    }
}
