package io.hookline.delivery;

import io.hookline.notifier.DeliveryOutcome;

/**
 * How a notifier call went. {@code held}: it could not be made because of a problem on Hookline's side (no notifier
 * installed for the type, a target the operator's network policy refuses), not counted against the webhook.
 */
record Attempted(DeliveryOutcome outcome, boolean held) {
    static Attempted of(DeliveryOutcome outcome) {
        return new Attempted(outcome, false);
    }

    static Attempted held(String reason) {
        return new Attempted(DeliveryOutcome.retry(0, reason), true);
    }

    boolean delivered() {
        return outcome instanceof DeliveryOutcome.Delivered;
    }
}
