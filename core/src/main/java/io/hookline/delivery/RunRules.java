package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.ChangeClock;
import io.hookline.webhooks.Webhook;

/**
 * What one attempt does to a webhook: counters, runs, state and the next due time. Plain arithmetic, no I/O.
 */
public final class RunRules {
    private final Backoff backoff;
    private final int runsSize;

    public RunRules(Backoff backoff, int runsSize) {
        this.backoff = backoff;
        this.runsSize = runsSize;
    }

    /**
     * @param w              the webhook as it is now in the database
     * @param outcome        how the attempt went
     * @param at             when the attempt started (microseconds)
     * @param now            when it ended (microseconds)
     * @param minIntervalMs  the effective minimum interval (webhook's and notifier's)
     * @param deliveryId     the id of the notification attempted
     */
    public Webhook apply(Webhook w, DeliveryOutcome outcome, long at, long now, long minIntervalMs, String deliveryId) {
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("status", outcome.status());
        run.put("timestamp", ChangeClock.toSeconds(at));
        if (outcome.reason() != null) run.put("reason", outcome.reason());
        ArrayNode runs = JsonNodeFactory.instance.arrayNode();
        runs.add(run);
        for (int i = 0; i < w.runs().size() && runs.size() < runsSize; i++) runs.add(w.runs().get(i));

        int retries = w.currentRetries();
        long fails = w.failCount();
        Webhook.State state = w.state();
        long next;
        String keptDeliveryId;
        if (outcome instanceof DeliveryOutcome.Delivered) {
            retries = 0;
            next = now + minIntervalMs * 1000;
            keptDeliveryId = null;
        } else {
            fails++;
            retries++;
            keptDeliveryId = deliveryId;
            java.time.Duration retryAfter = outcome instanceof DeliveryOutcome.Retry r ? r.retryAfter() : null;
            next = now + backoff.delayMs(retries, minIntervalMs, retryAfter) * 1000;
            if (outcome instanceof DeliveryOutcome.Permanent || retries > w.maxRetries()) {
                state = Webhook.State.INACTIVE;
            }
        }
        return new Webhook(w.id(), w.userId(), w.accessId(), w.url(), w.type(), w.settings(), w.scopes(), w.minIntervalMs(),
                w.maxRetries(), retries, state, w.runCount() + 1, fails, outcome.status(), at, runs, next,
                keptDeliveryId, w.tracking());
    }
}
