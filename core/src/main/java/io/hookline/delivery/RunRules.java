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
        ArrayNode runs = runsWith(w, run(outcome.status(), at, outcome.reason()));

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

    /**
     * An attempt that could not be made because of a problem on the server's side: its notifier type is not
     * installed, or the target is in a network the operator has not allowed. The webhook is not to blame: the run is
     * recorded (status 0, {@code held: true}, the reason) and counted as failed, but {@code currentRetries} and the
     * state do not change. It backs off like a failure, by the number of held runs in a row, so the operator's fix
     * is picked up without a storm of attempts meanwhile.
     */
    public Webhook applyHeld(Webhook w, String reason, long at, long now, long minIntervalMs, String deliveryId) {
        ObjectNode run = run(0, at, reason).put(HELD, true);
        int heldInARow = 1;
        while (heldInARow - 1 < w.runs().size() && w.runs().get(heldInARow - 1).path(HELD).asBoolean()) heldInARow++;
        long next = now + backoff.delayMs(heldInARow, minIntervalMs, null) * 1000;
        return new Webhook(w.id(), w.userId(), w.accessId(), w.url(), w.type(), w.settings(), w.scopes(),
                w.minIntervalMs(), w.maxRetries(), w.currentRetries(), w.state(), w.runCount() + 1, w.failCount() + 1,
                0, at, runsWith(w, run), next, deliveryId, w.tracking());
    }

    /**
     * When a webhook reactivated at {@code now} may next be delivered. Reactivation ends the backoff, not the
     * throttle (else repeated reactivations would defeat {@code minIntervalMs}): after a success the stored due time
     * is the throttle; in backoff, it is counted from the last run.
     */
    public static long reactivationDue(Webhook w, long now, long minIntervalMs) {
        return w.currentRetries() == 0 ? Math.max(now, w.nextAttemptAt())
                : Math.max(now, w.lastRunTime() + minIntervalMs * 1000);
    }

    /** The run field marking an attempt held back on the server's side ({@link #applyHeld}). */
    public static final String HELD = "held";

    private static ObjectNode run(int status, long at, String reason) {
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("status", status);
        run.put("timestamp", ChangeClock.toSeconds(at));
        if (reason != null) run.put("reason", reason);
        return run;
    }

    /** {@code run} first, then the webhook's earlier runs, at most {@code runsSize}. */
    private ArrayNode runsWith(Webhook w, ObjectNode run) {
        ArrayNode runs = JsonNodeFactory.instance.arrayNode();
        runs.add(run);
        for (int i = 0; i < w.runs().size() && runs.size() < runsSize; i++) runs.add(w.runs().get(i));
        return runs;
    }
}
