package io.hookline.delivery;

import io.hookline.notifier.DeliveryOutcome;

/**
 * How one attempt went, as its details show it: the notifier call's result (held or not), why it failed (null on
 * success), when it started and how long it took, in microseconds.
 */
public record Tried(Attempted attempted, AttemptError error, long startMicros, long durationMicros) {
    public DeliveryOutcome outcome() {
        return attempted.outcome();
    }
}
