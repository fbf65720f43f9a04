package io.hookline.notifier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * One notification to deliver for one webhook.
 *
 * @param webhookId   the webhook's id
 * @param deliveryId  the same on every retry of the same messages, new when messages were merged into a retry and
 *                    for the next notification (Standard Webhooks' {@code webhook-id})
 * @param username    the account whose data changed
 * @param url         the webhook's url
 * @param settings    the webhook's stored settings, as returned by {@link Notifier#validateSettings}
 * @param messages    what changed, first seen first: the names of {@link Messages}
 * @param body        the Pryv notification body, {@code {"messages": [...], "meta": {...}}}, as UTF-8 JSON
 * @param attempt     1 for the first attempt, 2 for the first retry, ...
 * @param attemptTime when this attempt started
 */
public record Notification(
        String webhookId,
        String deliveryId,
        String username,
        String url,
        ObjectNode settings,
        List<String> messages,
        byte[] body,
        int attempt,
        Instant attemptTime) {
}
