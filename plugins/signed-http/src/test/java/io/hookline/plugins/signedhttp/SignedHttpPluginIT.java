package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.Notification;
import io.hookline.notifier.testkit.LoopbackReceiver;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;
import io.hookline.notifier.testkit.LoopbackReceiver.ReceivedRequest;
import io.hookline.notifier.testkit.NotifierTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged signed-http jar, loaded as the server loads it, posting to a receiver that checks signatures. */
class SignedHttpPluginIT {
    private static final Path JAR = Path.of(System.getProperty("hookline.plugin.jar"));

    private LoopbackReceiver receiver;
    /** The secrets the receiver accepts; it answers 401 when no signature verifies with any of them. */
    private final List<String> receiverSecrets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() {
        receiver = LoopbackReceiver.start().handler(this::checkSignature);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Answer checkSignature(ReceivedRequest r) {
        for (String secret : receiverSecrets) {
            if (Verifier.verifies(secret, r.header("webhook-id"), r.header("webhook-timestamp"),
                    r.header("webhook-signature"), r.body())) {
                return Answer.of(204, "");
            }
        }
        return Answer.of(401, "bad signature");
    }

    @Test
    void aDeliveryIsSignedAsStandardWebhooksSay() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            assertThat(kit.types()).containsExactly("signed-http");
            ObjectNode settings = kit.createSettings(receiver.url(), null);
            receiverSecrets.add(settings.get("secret").asText());

            Notification n = kit.notification(receiver.url(), settings, "eventsChanged", "streamsChanged");
            DeliveryOutcome outcome = kit.deliver(n);

            assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(204));
            ReceivedRequest r = receiver.lastRequest();
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(r.header("webhook-id")).isEqualTo(n.deliveryId());
            assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(kit.clock().instant().getEpochSecond()));
            assertThat(r.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
            assertThat(r.body()).isEqualTo(n.body());
        }
    }

    @Test
    void aRetryKeepsTheIdAndSignsItsOwnTimestamp() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            ObjectNode settings = kit.createSettings(receiver.url(), null);
            receiverSecrets.add(settings.get("secret").asText());
            receiver.enqueue(Answer.of(503, "").withHeader("Retry-After", "30"));

            Notification first = kit.notification(receiver.url(), settings, "eventsChanged");
            assertThat(kit.deliver(first))
                    .isEqualTo(DeliveryOutcome.retryAfter(503, "HTTP 503", Duration.ofSeconds(30)));
            kit.clock().advance(Duration.ofSeconds(30));
            assertThat(kit.deliver(kit.retryOf(first))).isEqualTo(DeliveryOutcome.delivered(204));

            List<ReceivedRequest> requests = receiver.requests();
            assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(first.deliveryId());
            long t0 = Long.parseLong(requests.get(0).header("webhook-timestamp"));
            assertThat(Long.parseLong(requests.get(1).header("webhook-timestamp"))).isEqualTo(t0 + 30);
        }
    }

    @Test
    void afterARotationBothSecretsSignUntilTheOverlapEnds() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            ObjectNode before = kit.createSettings(receiver.url(), null);
            String oldSecret = before.get("secret").asText();
            ObjectNode after = kit.updateSettings(receiver.url(), kit.object("{\"rotateSecret\": true}"), before);
            String newSecret = after.get("secret").asText();
            assertThat(newSecret).isNotEqualTo(oldSecret);

            // A receiver that still knows only the old secret, then one that knows only the new one.
            receiverSecrets.add(oldSecret);
            assertThat(kit.deliver(receiver.url(), after, "eventsChanged")).isEqualTo(DeliveryOutcome.delivered(204));
            receiverSecrets.clear();
            receiverSecrets.add(newSecret);
            assertThat(kit.deliver(receiver.url(), after, "eventsChanged")).isEqualTo(DeliveryOutcome.delivered(204));
            assertThat(receiver.lastRequest().header("webhook-signature").split(" ")).hasSize(2);

            // The default overlap is 24 hours: then only the new secret signs.
            kit.clock().advance(Duration.ofHours(24).plusSeconds(1));
            assertThat(kit.deliver(receiver.url(), after, "eventsChanged")).isEqualTo(DeliveryOutcome.delivered(204));
            assertThat(receiver.lastRequest().header("webhook-signature").split(" ")).hasSize(1);
            receiverSecrets.clear();
            receiverSecrets.add(oldSecret);
            assertThat(kit.deliver(receiver.url(), after, "eventsChanged").status()).isEqualTo(401);
        }
    }

    @Test
    void theOverlapComesFromThePluginConfiguration() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.builder(JAR)
                .pluginConfig("signed-http", "{\"rotationOverlap\": \"PT1H\"}").build()) {
            ObjectNode before = kit.createSettings(receiver.url(), null);

            ObjectNode after = kit.updateSettings(receiver.url(), kit.object("{\"rotateSecret\": true}"), before);

            assertThat(after.at("/previousSecrets/0/expires").asLong())
                    .isEqualTo(kit.clock().instant().plus(Duration.ofHours(1)).getEpochSecond());
        }
    }

    @Test
    void aBadConfigurationStopsLoading() {
        assertThatThrownBy(() -> NotifierTestKit.builder(JAR)
                .pluginConfig("signed-http", "{\"rotationOverlap\": \"soon\"}").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signed-http")
                .hasMessageContaining("soon");
    }

    @Test
    void secretsAreHiddenFromOtherAccesses() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            ObjectNode settings = kit.createSettings(receiver.url(), kit.object(
                    "{\"secret\": \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}"));

            assertThat(kit.redact(settings)).isEqualTo(kit.object("{\"secretPrefix\": \"whsec_MfKQ\"}"));
        }
    }

    @Test
    void goneMeansStop() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            receiver.enqueue(Answer.of(410, "gone"));

            DeliveryOutcome outcome = kit.deliver(receiver.url(), kit.createSettings(receiver.url(), null), "test");

            assertThat(outcome).isInstanceOf(DeliveryOutcome.Permanent.class);
            assertThat(outcome.status()).isEqualTo(410);
        }
    }

    @Test
    void theNotifierComesFromTheJarAlone() {
        // The module's classes are kept off this test's class path (parent pom, failsafe), as off the server's.
        assertThatThrownBy(() -> Class.forName("io.hookline.plugins.signedhttp.SignedHttpNotifier"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
