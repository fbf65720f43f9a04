package io.hookline.delivery;

import com.codahale.metrics.health.HealthCheck;
import io.hookline.notifier.host.NotifierHost;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.Database;


/** Health checks of delivery: every webhook's notifier is installed, and nothing due waits too long. */
public final class DeliveryHealth {
    private DeliveryHealth() {
    }

    /**
     * Unhealthy while active webhooks name a type no installed plugin delivers, or a plugin delivers no type at all
     * (a packaging mistake that would otherwise go unseen).
     */
    public static HealthCheck plugins(Database db, Notifiers notifiers) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                var missing = InstalledTypes.missing(db.read(InstalledTypes::activeByType), notifiers).keySet();
                var empty = notifiers.plugins().stream().filter(NotifierHost.LoadedPlugin::deliversNothing)
                        .map(NotifierHost.LoadedPlugin::id).toList();
                if (!empty.isEmpty()) {
                    return Result.unhealthy("plugin(s) " + empty + " deliver no webhook type (no @Extension?)");
                }
                return missing.isEmpty()
                        ? Result.healthy("types installed: " + notifiers.types())
                        : Result.unhealthy("active webhooks of uninstalled type(s) " + missing
                        + "; installed: " + notifiers.types());
            }
        };
    }

    /**
     * Unhealthy when a delivery that could run has waited more than {@code maxLagMs} past its due time (see
     * {@link DeliveryLag}): throttled, backing-off and in-flight webhooks are not late.
     */
    public static HealthCheck lag(DeliveryLag lag, long maxLagMs) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                DeliveryLag.Late worst = lag.worst();
                if (worst == null || worst.lagMicros() <= maxLagMs * 1000) return Result.healthy();
                return Result.unhealthy(lag.countLaterThan(maxLagMs) + " webhook(s) late by more than " + maxLagMs
                        + " ms; the latest, " + worst.webhookId() + ", by " + worst.lagMicros() / 1000 + " ms");
            }
        };
    }
}
