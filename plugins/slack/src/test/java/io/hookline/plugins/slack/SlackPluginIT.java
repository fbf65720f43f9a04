package io.hookline.plugins.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.testkit.LoopbackReceiver;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;
import io.hookline.notifier.testkit.LoopbackReceiver.ReceivedRequest;
import io.hookline.notifier.testkit.NotifierTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged slack jar, loaded as the server loads it, posting to a fake Slack on loopback. */
class SlackPluginIT {
    private static final Path JAR = Path.of(System.getProperty("hookline.plugin.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoopbackReceiver slack;
    private static NotifierTestKit kit;

    @BeforeAll
    static void start() {
        slack = LoopbackReceiver.start().handler(SlackPluginIT::answerLikeSlack);
        kit = NotifierTestKit.builder(JAR).username("alice").build();
    }

    @AfterAll
    static void stop() {
        kit.close();
        slack.close();
    }

    /**
     * Answers as Slack's incoming webhooks do: a payload without text is {@code invalid_payload}; otherwise the hook
     * (the last part of the path) decides, as the state of the real channel would.
     */
    private static Answer answerLikeSlack(ReceivedRequest r) {
        JsonNode payload;
        try {
            payload = JSON.readTree(r.body());
        } catch (Exception e) {
            return Answer.of(400, "invalid_payload");
        }
        if (payload == null || !payload.path("text").isTextual() || !r.header("content-type").startsWith("application/json")) {
            return Answer.of(400, "invalid_payload");
        }
        String hook = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (hook) {
            case "busy" -> Answer.of(429, "rate_limited").withHeader("Retry-After", "3");
            case "deleted-channel" -> Answer.of(404, "channel_not_found");
            case "archived-channel" -> Answer.of(410, "channel_is_archived");
            case "prohibited" -> Answer.of(403, "action_prohibited");
            case "revoked" -> Answer.of(403, "invalid_token");
            case "down" -> Answer.of(503, "service_unavailable");
            default -> Answer.of(200, "ok");
        };
    }

    private static String hook(String name) {
        return slack.url("/services/T000/B000/" + name);
    }

    @Test
    void postsPlainWordsAndIsDeliveredOnOk() throws Exception {
        assertThat(kit.types()).containsExactly("slack");

        DeliveryOutcome outcome = kit.deliver(hook("good"), null, "eventsChanged", "streamsChanged");

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(200));
        JsonNode payload = JSON.readTree(slack.lastRequest().body());
        assertThat(payload.get("text").asText()).isEqualTo("New data for alice: events changed, streams changed.");
    }

    @Test
    void rateLimitingIsRetriedAfterRetryAfter() throws Exception {
        assertThat(kit.deliver(hook("busy"), null, "eventsChanged"))
                .isEqualTo(DeliveryOutcome.retryAfter(429, "Slack: rate_limited (HTTP 429)", Duration.ofSeconds(3)));
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        DeliveryOutcome outcome = kit.deliver(hook("down"), null, "eventsChanged");

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(outcome.status()).isEqualTo(503);
    }

    @Test
    void aMissingOrArchivedChannelDeactivatesWithSlacksReason() throws Exception {
        assertThat(kit.deliver(hook("deleted-channel"), null, "eventsChanged"))
                .isEqualTo(DeliveryOutcome.permanent(404, "Slack: channel_not_found (HTTP 404)"));
        assertThat(kit.deliver(hook("archived-channel"), null, "eventsChanged"))
                .isEqualTo(DeliveryOutcome.permanent(410, "Slack: channel_is_archived (HTTP 410)"));
        assertThat(kit.deliver(hook("prohibited"), null, "eventsChanged").reason()).contains("action_prohibited");
        assertThat(kit.deliver(hook("revoked"), null, "eventsChanged").reason()).contains("invalid_token");
    }

    @Test
    void neverFasterThanOnceASecond() {
        assertThat(kit.notifier().minInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void takesNoSettings() throws Exception {
        assertThat(kit.createSettings(hook("good"), null)).isEmpty();
        assertThat(kit.createSettings(hook("good"), kit.object("{}"))).isEmpty();
        assertThatThrownBy(() -> kit.createSettings(hook("good"), kit.object("{\"channel\": \"#general\"}")))
                .isInstanceOf(InvalidSettingsException.class);
    }

    @Test
    void theNotifierComesFromTheJarAlone() {
        // The module's classes are kept off this test's class path (parent pom, failsafe), as off the server's.
        assertThatThrownBy(() -> Class.forName("io.hookline.plugins.slack.SlackNotifier"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
