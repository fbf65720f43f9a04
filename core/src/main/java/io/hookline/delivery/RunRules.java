package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.ChangeClock;

import java.time.Duration;

/**
 * The time rules of delivery: what one attempt does to a webhook's delivery (counters, runs, next due time,
 * deactivation), the interval in force between two deliveries, and when a reactivated webhook is due. Plain
 * arithmetic on times the caller reads from one clock; no I/O. Times are microseconds since the epoch.
 */
public final class RunRules {
    /**
     * When reading or recording delivery state fails (the database is busy or failing), the webhooks concerned are
     * tried again this much later: soon enough to go unnoticed, late enough not to spin on a failing database.
     */
    public static final long RETRY_AFTER_STORE_FAILURE_MICROS = 1_000_000;

    private final Backoff backoff;
    private final int runsSize;

    /** What an attempt leaves: the new state, and whether it switches the webhook off. */
    public record Run(DeliveryState state, boolean deactivates) {
    }

    public RunRules(Backoff backoff, int runsSize) {
        this.backoff = backoff;
        this.runsSize = runsSize;
    }

    /** How many runs, and attempts' details, are kept per webhook. */
    public int runsSize() {
        return runsSize;
    }

    /**
     * @param target         the webhook's limits ({@code maxRetries})
     * @param s              its delivery state as it is now in the database
     * @param outcome        how the attempt went
     * @param at             when the attempt started
     * @param now            when it ended
     * @param minIntervalMs  the interval in force ({@link #effectiveMinIntervalMs})
     * @param deliveryId     the id of the notification attempted
     */
    public Run apply(DeliveryTarget target, DeliveryState s, DeliveryOutcome outcome, long at, long now,
                     long minIntervalMs, String deliveryId) {
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("status", outcome.status());
        run.put("timestamp", ChangeClock.toSeconds(at));
        if (outcome.reason() != null) run.put("reason", outcome.reason());
        ArrayNode runs = JsonNodeFactory.instance.arrayNode();
        runs.add(run);
        for (int i = 0; i < s.runs().size() && runs.size() < runsSize; i++) runs.add(s.runs().get(i));

        if (outcome instanceof DeliveryOutcome.Delivered) {
            return new Run(new DeliveryState(0, s.runCount() + 1, s.failCount(), outcome.status(), at, runs,
                    now + minIntervalMs * 1000, null), false);
        }
        int retries = s.currentRetries() + 1;
        Duration retryAfter = outcome instanceof DeliveryOutcome.Retry r ? r.retryAfter() : null;
        long next = now + backoff.delayMs(retries, minIntervalMs, retryAfter) * 1000;
        boolean deactivates = outcome instanceof DeliveryOutcome.Permanent || retries > target.maxRetries();
        return new Run(new DeliveryState(retries, s.runCount() + 1, s.failCount() + 1, outcome.status(), at, runs,
                next, deliveryId), deactivates);
    }

    /** The webhook's own minimum interval, or its notifier's when that is longer (Slack: one second). */
    public static long effectiveMinIntervalMs(long webhookMinIntervalMs, Duration notifierMinInterval) {
        return Math.max(webhookMinIntervalMs, notifierMinInterval.toMillis());
    }

    /**
     * When a webhook made active again may next be delivered. Reactivation ends the backoff, not the throttle (else
     * repeated reactivations would defeat {@code minIntervalMs}): after a success the stored due time is the
     * throttle; in backoff, the throttle is counted from the last run.
     */
    public static long reactivationDue(DeliveryState s, long minIntervalMs, long now) {
        return s.currentRetries() == 0 ? Math.max(now, s.nextAttemptAt())
                : Math.max(now, s.lastRunTime() + minIntervalMs * 1000);
    }
}
