package io.hookline.delivery;

import com.codahale.metrics.health.HealthCheck;
import io.hookline.notifier.host.NotifierHost;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.Database;

import java.util.ArrayList;
import java.util.List;

/** Health checks of delivery: every webhook's notifier is installed, and nothing due waits too long. */
public final class DeliveryHealth {
    private DeliveryHealth() {
    }

    /**
     * Unhealthy while active webhooks name a type no installed plugin delivers, or while a plugin delivers no type
     * (a packaging mistake: no {@code @Extension}, or no extension index in the jar).
     */
    public static HealthCheck plugins(Database db, Notifiers notifiers) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<String> types = db.read(h -> h.createQuery(
                        "SELECT DISTINCT type FROM webhooks WHERE state = 'active'").mapTo(String.class).list());
                List<String> missing = types.stream().filter(t -> notifiers.find(t).isEmpty()).toList();
                List<String> empty = notifiers.plugins().stream().filter(NotifierHost.LoadedPlugin::deliversNothing)
                        .map(NotifierHost.LoadedPlugin::id).toList();
                List<String> problems = new ArrayList<>();
                if (!missing.isEmpty()) problems.add("active webhooks of uninstalled type(s) " + missing);
                if (!empty.isEmpty()) {
                    problems.add("plugin(s) " + empty + " deliver no type (is the Notifier class annotated with "
                            + "@org.pf4j.Extension?)");
                }
                return problems.isEmpty()
                        ? Result.healthy("types installed: " + notifiers.types())
                        : Result.unhealthy(String.join("; ", problems) + "; installed: " + notifiers.types());
            }
        };
    }

    /**
     * Always healthy (a node's share of the work comes and goes): says which node this is, the leases it holds, the
     * claims it made and gave back, the discarded late results, and how late the cluster's latest delivery is.
     */
    public static HealthCheck leases(PostgresDeliveryStore store, DeliveryLag lag) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return Result.healthy("node " + store.node() + " holds " + store.claimedCount() + " lease(s); "
                        + store.claims() + " claim(s) (" + store.givenBack() + " given back unrecorded), "
                        + store.discarded() + " late result(s) discarded since start; "
                        + "the cluster's latest delivery waits " + lag.worstMs() + " ms");
            }
        };
    }

    /**
     * Unhealthy when a delivery that could run has waited more than {@code maxLagMs} since it became due
     * ({@link DeliveryLag}): not while one is in flight, throttled or backing off.
     */
    public static HealthCheck lag(DeliveryLag lag, long maxLagMs) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return lag.worst().filter(w -> w.lagMs() > maxLagMs)
                        .map(w -> Result.unhealthy(lag.countLaterThan(maxLagMs) + " delivery(ies) late by more than "
                                + maxLagMs + " ms; the latest, webhook " + w.webhookId() + ", by " + w.lagMs() + " ms"))
                        .orElseGet(Result::healthy);
            }
        };
    }
}
