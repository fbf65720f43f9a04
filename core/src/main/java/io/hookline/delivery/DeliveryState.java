package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Where a webhook's delivery stands: counters, the last runs (newest first), when the next attempt may start, and
 * the seed of the id of the notification being retried (null when none is; see {@link NotificationIds}). Times are microseconds since the epoch. Changed
 * by {@link RunRules} after each attempt and by {@link #reactivated} when a client resumes the webhook.
 */
public record DeliveryState(int currentRetries, long runCount, long failCount, int lastRunStatus, long lastRunTime,
                            ArrayNode runs, long nextAttemptAt, String deliveryId) {

    /** A webhook that was never delivered. */
    public static DeliveryState initial() {
        return new DeliveryState(0, 0, 0, 0, 0, JsonNodeFactory.instance.arrayNode(), 0, null);
    }

    /** The same delivery, its retries forgotten, due again at {@code due}. */
    public DeliveryState reactivated(long due) {
        return new DeliveryState(0, runCount, failCount, lastRunStatus, lastRunTime, runs, due, deliveryId);
    }
}
