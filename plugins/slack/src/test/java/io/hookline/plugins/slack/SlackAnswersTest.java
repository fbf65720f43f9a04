package io.hookline.plugins.slack;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.OutboundResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlackAnswersTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void okIsDelivered() {
        assertThat(classify(200, "ok")).isEqualTo(DeliveryOutcome.delivered(200));
    }

    @Test
    void rateLimitingAndServerErrorsAreRetried() {
        assertThat(SlackAnswers.classify(new OutboundResponse(429, Map.of("retry-after", List.of("12")), "rate_limited"), NOW))
                .isEqualTo(DeliveryOutcome.retryAfter(429, "Slack: rate_limited (HTTP 429)", Duration.ofSeconds(12)));
        assertThat(classify(429, "")).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(classify(500, "internal_error")).isEqualTo(DeliveryOutcome.retry(500, "Slack: internal_error (HTTP 500)"));
        assertThat(classify(503, "")).isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void everyOtherAnswerIsPermanentWithSlacksReason() {
        assertThat(classify(404, "channel_not_found"))
                .isEqualTo(DeliveryOutcome.permanent(404, "Slack: channel_not_found (HTTP 404)"));
        assertThat(classify(410, "channel_is_archived"))
                .isEqualTo(DeliveryOutcome.permanent(410, "Slack: channel_is_archived (HTTP 410)"));
        assertThat(classify(403, "action_prohibited").reason()).contains("action_prohibited");
        assertThat(classify(403, "invalid_token").reason()).contains("invalid_token");
        assertThat(classify(404, "no_service").reason()).contains("no_service");
        assertThat(classify(400, "invalid_payload\n")).isEqualTo(DeliveryOutcome.permanent(400, "Slack: invalid_payload (HTTP 400)"));
        assertThat(classify(400, "")).isEqualTo(DeliveryOutcome.permanent(400, "Slack: no reason given (HTTP 400)"));
        assertThat(classify(302, "")).isInstanceOf(DeliveryOutcome.Permanent.class);
    }

    @Test
    void aSuccessThatIsNotSlacksOkIsPermanent() {
        assertThat(classify(200, "<html>login</html>").reason()).contains("not a Slack answer");
        assertThat(classify(204, "")).isInstanceOf(DeliveryOutcome.Permanent.class);
    }

    @Test
    void longReasonsAreCut() {
        assertThat(classify(400, "x".repeat(1000)).reason()).hasSizeLessThan(250);
    }

    private static DeliveryOutcome classify(int status, String body) {
        return SlackAnswers.classify(new OutboundResponse(status, Map.of(), body), NOW);
    }
}
