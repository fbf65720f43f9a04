package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookline.notifier.DeliveryOutcome;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.Map;

/**
 * What the webhooks API asks of delivery, and nothing more: schedule a webhook, drop it, send a test now, resume a
 * deactivated one, and show where its delivery stands.
 */
public interface Deliveries {
    /** The webhook's pending messages may be delivered from {@code due} (microseconds) on. */
    void offer(String webhookId, long due);

    /** The webhook was deleted or deactivated: nothing more is delivered for it until offered again. */
    void forget(String webhookId);

    /** One {@code test} notification now, whatever the throttle and state; records no run. */
    DeliveryOutcome testNow(DeliveryTarget target);

    /** In the client's transaction: retries forgotten, due per {@link RunRules#reactivationDue}; returns the state. */
    DeliveryState reactivate(Handle h, DeliveryTarget target, long now);

    /** The details of the webhook's last attempts, newest first. */
    ArrayNode attempts(Handle h, String webhookId);

    /**
     * The interval in force between two deliveries of the webhook: its own {@code minIntervalMs}, or its notifier's
     * {@code minInterval()} when that is longer ({@link RunRules#effectiveMinIntervalMs}).
     */
    long effectiveMinIntervalMs(DeliveryTarget target);

    /** The delivery state of these webhooks, by id. */
    Map<String, DeliveryState> states(Handle h, Collection<String> webhookIds);
}
