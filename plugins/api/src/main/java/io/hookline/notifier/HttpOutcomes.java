package io.hookline.notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The usual reading of a webhook target's HTTP answer, shared by HTTP-based notifiers. */
public final class HttpOutcomes {
    private HttpOutcomes() {
    }

    /**
     * 2xx: delivered. 410 Gone: permanent (the receiver asks to stop). 429 and 503: retry, after
     * {@code Retry-After} when given. Anything else: retry. The outcome carries the answer's body
     * ({@link DeliveryOutcome#answer()}).
     */
    public static DeliveryOutcome classify(OutboundResponse r, Instant now) {
        return classify(r, now, Set.of(), answer -> null);
    }

    /**
     * {@link #classify(OutboundResponse, Instant)} for a target with rules of its own.
     *
     * @param alsoPermanent statuses that mean "stop" for this target besides 410 (for a chat service, 404: the
     *                      channel or hook was deleted); they deactivate the webhook, the answer's body as reason
     * @param retryDelay    reads a retry delay from an answer (a JSON body's {@code retry_after}, say), or null; used
     *                      for 429 and 503 when the {@code Retry-After} header gives none
     */
    public static DeliveryOutcome classify(OutboundResponse r, Instant now, Set<Integer> alsoPermanent,
                                           Function<OutboundResponse, Duration> retryDelay) {
        return read(r, now, alsoPermanent, retryDelay).withAnswer(r.body());
    }

    private static DeliveryOutcome read(OutboundResponse r, Instant now, Set<Integer> alsoPermanent,
                                        Function<OutboundResponse, Duration> retryDelay) {
        if (r.isSuccess()) return DeliveryOutcome.delivered(r.status());
        if (r.status() == 410) return DeliveryOutcome.permanent(410, "410 Gone: the receiver asked to stop");
        if (alsoPermanent.contains(r.status())) {
            String body = r.body() == null ? "" : r.body().strip();
            return DeliveryOutcome.permanent(r.status(), "HTTP " + r.status()
                    + (body.isEmpty() ? "" : ": " + body.substring(0, Math.min(body.length(), 200))));
        }
        if (r.status() == 429 || r.status() == 503) {
            Duration after = retryAfter(r.header("retry-after"), now);
            if (after == null) after = retryDelay.apply(r);
            return DeliveryOutcome.retryAfter(r.status(), "HTTP " + r.status(), after);
        }
        return DeliveryOutcome.retry(r.status(), "HTTP " + r.status());
    }

    /** Parses {@code Retry-After} (seconds or an HTTP date); null when absent or unreadable. */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException ignored) {
            // not seconds: maybe a date
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
