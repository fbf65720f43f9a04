package io.hookline.plugins.slack;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.HttpOutcomes;
import io.hookline.notifier.OutboundResponse;

import java.time.Instant;

/**
 * Reads Slack's answer to an incoming-webhook POST. Slack answers 200 {@code ok} on success, and otherwise an HTTP
 * error with a short reason as the body, such as {@code channel_not_found} (404), {@code channel_is_archived} (410),
 * {@code action_prohibited} (403), {@code invalid_token}, {@code no_service}, {@code invalid_payload} (400/403/404).
 * Only rate limiting (429, after {@code Retry-After}) and server errors (5xx) are worth retrying; every other
 * answer means the webhook cannot work as configured, so it is deactivated with Slack's reason recorded.
 */
final class SlackAnswers {
    /** Longest part of an answer's body kept as the reason. */
    private static final int MAX_REASON = 200;

    private SlackAnswers() {
    }

    /** How Slack's answer reads, carrying the answer's body for the attempt's details. */
    static DeliveryOutcome classify(OutboundResponse r, Instant now) {
        return read(r, now).withAnswer(r.body());
    }

    private static DeliveryOutcome read(OutboundResponse r, Instant now) {
        int status = r.status();
        String reason = reason(r.body());
        if (status == 200 && "ok".equals(reason)) return DeliveryOutcome.delivered(200);
        if (status == 429) {
            return DeliveryOutcome.retryAfter(429, "Slack: " + (reason.isEmpty() ? "rate_limited" : reason)
                    + " (HTTP 429)", HttpOutcomes.retryAfter(r.header("retry-after"), now));
        }
        if (status >= 500) {
            return DeliveryOutcome.retryAfter(status, "Slack: " + (reason.isEmpty() ? "server error" : reason)
                    + " (HTTP " + status + ")", HttpOutcomes.retryAfter(r.header("retry-after"), now));
        }
        if (status >= 200 && status < 300) {
            // Not Slack's answer: the url is probably not a Slack incoming webhook.
            return DeliveryOutcome.permanent(status, "not a Slack answer: HTTP " + status
                    + (reason.isEmpty() ? " with an empty body" : " \"" + reason + "\"") + " instead of \"ok\"");
        }
        if (status >= 300 && status < 400) {
            return DeliveryOutcome.permanent(status, "Slack answered a redirect (HTTP " + status
                    + "), which is not followed: check the webhook url");
        }
        return DeliveryOutcome.permanent(status, "Slack: " + (reason.isEmpty() ? "no reason given" : reason)
                + " (HTTP " + status + ")");
    }

    /** The first line of the body, trimmed and bounded. */
    private static String reason(String body) {
        if (body == null) return "";
        String s = body.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl).strip();
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON) + "..." : s;
    }
}
