package io.hookline.delivery;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** The run field marking an attempt held back on Hookline's side ({@link #applyHeld}). */
    public static final String HELD = "held";

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
     * @param deliveryId     the seed of the attempted notification's id, kept for its retries ({@link NotificationIds})
     */
    public Run apply(DeliveryTarget target, DeliveryState s, DeliveryOutcome outcome, long at, long now,
                     long minIntervalMs, String deliveryId) {
        ArrayNode runs = runsWith(s, run(outcome.status(), at, outcome.reason()));
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

    /**
     * An attempt that could not be made because of a problem on Hookline's side: its notifier type is not
     * installed, or the target is in a network the operator's policy refuses. The webhook is not to blame: the run is
     * recorded (status 0, {@code held: true}, the reason) and counted as failed, but {@code currentRetries} does not
     * change and it never deactivates. It backs off like a failure, by the number of held runs in a row, so that the
     * operator's fix is picked up without a storm of attempts meanwhile.
     */
    public Run applyHeld(DeliveryState s, String reason, long at, long now, long minIntervalMs, String deliveryId) {
        int heldInARow = 1;
        while (heldInARow - 1 < s.runs().size() && isHeld(s.runs().get(heldInARow - 1))) heldInARow++;
        long next = now + backoff.delayMs(heldInARow, minIntervalMs, null) * 1000;
        ObjectNode run = run(0, at, reason).put(HELD, true);
        return new Run(new DeliveryState(s.currentRetries(), s.runCount() + 1, s.failCount() + 1, 0, at,
                runsWith(s, run), next, deliveryId), false);
    }

    /** Whether a recorded run was held back on Hookline's side ({@link #applyHeld}). */
    public static boolean isHeld(JsonNode run) {
        return run.path(HELD).asBoolean(false);
    }

    private static ObjectNode run(int status, long at, String reason) {
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("status", status);
        run.put("timestamp", ChangeClock.toSeconds(at));
        if (reason != null) run.put("reason", reason);
        return run;
    }

    /** {@code run} first, then the earlier runs, at most {@code runsSize}. */
    private ArrayNode runsWith(DeliveryState s, ObjectNode run) {
        ArrayNode runs = JsonNodeFactory.instance.arrayNode();
        runs.add(run);
        for (int i = 0; i < s.runs().size() && runs.size() < runsSize; i++) runs.add(s.runs().get(i));
        return runs;
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
