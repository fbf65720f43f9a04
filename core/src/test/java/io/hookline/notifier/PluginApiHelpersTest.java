package io.hookline.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The helpers the plugin API gives a second notifier: settings merge, customised HTTP reading, plain words. */
class PluginApiHelpersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void mergedSetsTheRequestedFieldsOverTheCurrentOnes() throws Exception {
        ObjectNode current = (ObjectNode) JSON.readTree("{\"channel\": \"a\", \"emoji\": \":x:\"}");
        ObjectNode requested = (ObjectNode) JSON.readTree("{\"channel\": \"b\", \"emoji\": null, \"tag\": 1}");
        assertThat(new SettingsChange("u", requested, current).merged())
                .isEqualTo(JSON.readTree("{\"channel\": \"b\", \"tag\": 1}"));
        assertThat(current.path("channel").asText()).isEqualTo("a"); // untouched
        assertThat(new SettingsChange("u", null, current).merged()).isEqualTo(current);
        assertThat(new SettingsChange("u", requested, null).merged())
                .isEqualTo(JSON.readTree("{\"channel\": \"b\", \"tag\": 1}"));
    }

    @Test
    void moreStatusesCanMeanStopAndARetryDelayCanComeFromTheBody() {
        OutboundResponse notFound = new OutboundResponse(404, Map.of(), "unknown_webhook");
        assertThat(HttpOutcomes.classify(notFound, NOW)).isInstanceOf(DeliveryOutcome.Retry.class);
        DeliveryOutcome stop = HttpOutcomes.classify(notFound, NOW, Set.of(404), r -> null);
        assertThat(stop).isInstanceOf(DeliveryOutcome.Permanent.class);
        assertThat(stop.reason()).isEqualTo("HTTP 404: unknown_webhook");

        OutboundResponse limited = new OutboundResponse(429, Map.of(), "{\"retry_after\": 7}");
        DeliveryOutcome later = HttpOutcomes.classify(limited, NOW, Set.of(), r -> Duration.ofSeconds(7));
        assertThat(((DeliveryOutcome.Retry) later).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        OutboundResponse withHeader = new OutboundResponse(429, Map.of("retry-after", List.of("3")), "");
        assertThat(((DeliveryOutcome.Retry) HttpOutcomes.classify(withHeader, NOW, Set.of(),
                r -> Duration.ofSeconds(7))).retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void plainWordsSayWhoAndWhatChanged() {
        assertThat(PlainWords.of("alice", List.of("eventsChanged", "streamsChanged"), UnaryOperator.identity()))
                .isEqualTo("New data for alice: events changed, streams changed.");
        assertThat(PlainWords.of("a<b", List.of("test"), s -> s.replace("<", "&lt;")))
                .isEqualTo("Test notification for a&lt;b.");
    }
}
