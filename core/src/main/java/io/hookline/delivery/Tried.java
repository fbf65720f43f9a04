package io.hookline.delivery;

import io.hookline.notifier.DeliveryOutcome;

/**
 * How one attempt went, as its details show it: the outcome, why it failed (null on success), when it started and
 * how long it took, in microseconds.
 */
public record Tried(DeliveryOutcome outcome, AttemptError error, long startMicros, long durationMicros) {
}
