package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A webhook as delivery sees it: where and how to deliver, and the limits its owner chose. The webhooks API owns
 * these fields; delivery only reads them (and switches {@code active} off when retries run out).
 */
public record DeliveryTarget(String webhookId, long userId, String url, String type, ObjectNode settings,
                             long minIntervalMs, int maxRetries, boolean active) {
}
