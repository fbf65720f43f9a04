package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.InvalidSettingsException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.250Z");
    private static final Duration DAY = Duration.ofHours(24);
    private static final String KNOWN = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void creationGeneratesASecretWhenNoneIsGiven() throws Exception {
        for (ObjectNode requested : new ObjectNode[] {null, obj("{}")}) {
            ObjectNode settings = SecretSettings.create(requested);

            assertThat(settings.properties()).hasSize(1);
            assertThat(StandardWebhooks.key(settings.get("secret").asText())).hasSize(32);
        }
    }

    @Test
    void creationKeepsAValidGivenSecret() throws Exception {
        assertThat(SecretSettings.create(obj("{\"secret\": \"" + KNOWN + "\"}")))
                .isEqualTo(obj("{\"secret\": \"" + KNOWN + "\"}"));
    }

    @Test
    void creationRefusesBadSecretsAndUnknownKeys() {
        assertThatThrownBy(() -> SecretSettings.create(obj("{\"secret\": \"" + StandardWebhooksTest.secretOf(16) + "\"}")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("24 to 64");
        assertThatThrownBy(() -> SecretSettings.create(obj("{\"secret\": 12}")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("string");
        assertThatThrownBy(() -> SecretSettings.create(obj("{\"secret\": \"hunter2hunter2hunter2hunter2\"}")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> SecretSettings.create(obj("{\"algorithm\": \"sha1\"}")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("\"algorithm\"");
        assertThatThrownBy(() -> SecretSettings.create(obj("{\"rotateSecret\": true}")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("existing webhook");
    }

    @Test
    void rotationKeepsThePreviousSecretSigningForTheOverlap() throws Exception {
        ObjectNode current = obj("{\"secret\": \"" + KNOWN + "\"}");

        ObjectNode rotated = SecretSettings.update(obj("{\"rotateSecret\": true}"), current, NOW, DAY);

        String next = rotated.get("secret").asText();
        assertThat(next).isNotEqualTo(KNOWN);
        assertThat(StandardWebhooks.key(next)).hasSize(32);
        assertThat(rotated.get("previousSecrets").toString()).isEqualTo(
                "[{\"secret\":\"" + KNOWN + "\",\"expires\":" + NOW.plus(DAY).getEpochSecond() + "}]");

        // Both sign during the overlap, and a receiver holding either one verifies the delivery.
        byte[] body = "{\"messages\":[\"eventsChanged\"]}".getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = SecretSettings.signingKeys(rotated, NOW.plus(Duration.ofHours(23)));
        String header = StandardWebhooks.signatureHeader(keys, "msg_1", 1772359200L, body);
        assertThat(header.split(" ")).hasSize(2);
        assertThat(Verifier.verifies(next, "msg_1", "1772359200", header, body)).isTrue();
        assertThat(Verifier.verifies(KNOWN, "msg_1", "1772359200", header, body)).isTrue();

        // After the overlap only the new secret signs, and the next settings change forgets the old one.
        Instant later = NOW.plus(DAY).plusSeconds(1);
        assertThat(SecretSettings.signingKeys(rotated, later)).hasSize(1);
        assertThat(SecretSettings.update(null, rotated, later, DAY))
                .isEqualTo(obj("{\"secret\": \"" + next + "\"}"));
    }

    @Test
    void rotatingDuringAnOverlapKeepsTheOlderSecretsTooUpToALimit() throws Exception {
        ObjectNode settings = obj("{\"secret\": \"" + KNOWN + "\"}");
        for (int i = 0; i < SecretSettings.MAX_PREVIOUS + 2; i++) {
            settings = SecretSettings.update(obj("{\"rotateSecret\": true}"), settings, NOW.plusSeconds(i), DAY);
        }

        assertThat(settings.get("previousSecrets")).hasSize(SecretSettings.MAX_PREVIOUS);
        assertThat(SecretSettings.signingKeys(settings, NOW.plusSeconds(10))).hasSize(SecretSettings.MAX_PREVIOUS + 1);
        // Newest first: the one replaced last expires last.
        assertThat(settings.get("previousSecrets").get(0).get("expires").asLong())
                .isEqualTo(NOW.plusSeconds(SecretSettings.MAX_PREVIOUS + 1).plus(DAY).getEpochSecond());
    }

    @Test
    void aGivenDifferentSecretRotatesToIt() throws Exception {
        String mine = StandardWebhooksTest.secretOf(40);
        ObjectNode rotated = SecretSettings.update(obj("{\"secret\": \"" + mine + "\"}"),
                obj("{\"secret\": \"" + KNOWN + "\"}"), NOW, DAY);

        assertThat(rotated.get("secret").asText()).isEqualTo(mine);
        assertThat(rotated.get("previousSecrets").get(0).get("secret").asText()).isEqualTo(KNOWN);
    }

    @Test
    void sendingBackTheStoredSettingsChangesNothing() throws Exception {
        ObjectNode stored = SecretSettings.update(obj("{\"rotateSecret\": true}"), obj("{\"secret\": \"" + KNOWN + "\"}"),
                NOW, DAY);

        assertThat(SecretSettings.update(stored.deepCopy(), stored, NOW.plusSeconds(5), DAY)).isEqualTo(stored);
        // As a client sends them back after reading them: parsed from JSON text, fields in another order.
        String expires = stored.at("/previousSecrets/0/expires").asText();
        String previous = stored.at("/previousSecrets/0/secret").asText();
        ObjectNode readBack = obj("{\"previousSecrets\": [{\"expires\": " + expires + ", \"secret\": \"" + previous + "\"}],"
                + " \"secret\": \"" + stored.get("secret").asText() + "\"}");
        assertThat(SecretSettings.update(readBack, stored, NOW.plusSeconds(5), DAY)).isEqualTo(stored);
        assertThat(SecretSettings.update(obj("{}"), stored, NOW.plusSeconds(5), DAY)).isEqualTo(stored);
        assertThat(SecretSettings.update(obj("{\"rotateSecret\": false}"), stored, NOW.plusSeconds(5), DAY))
                .isEqualTo(stored);
    }

    @Test
    void updatesRefuseWhatTheServerKeepsAndMalformedRequests() throws Exception {
        ObjectNode stored = obj("{\"secret\": \"" + KNOWN + "\"}");

        assertThatThrownBy(() -> SecretSettings.update(
                obj("{\"previousSecrets\": [{\"secret\": \"" + KNOWN + "\", \"expires\": 9999999999}]}"), stored, NOW, DAY))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("rotateSecret");
        assertThatThrownBy(() -> SecretSettings.update(obj("{\"rotateSecret\": \"yes\"}"), stored, NOW, DAY))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> SecretSettings.update(obj("{\"rotateSecret\": true, \"secret\": \"" + KNOWN + "\"}"),
                stored, NOW, DAY))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("differ");
        assertThatThrownBy(() -> SecretSettings.update(obj("{\"tolerance\": 5}"), stored, NOW, DAY))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("known: previousSecrets, rotateSecret, secret");
    }

    @Test
    void aZeroOverlapDropsThePreviousSecretAtOnce() throws Exception {
        ObjectNode rotated = SecretSettings.update(obj("{\"rotateSecret\": true}"), obj("{\"secret\": \"" + KNOWN + "\"}"),
                NOW, Duration.ZERO);

        assertThat(rotated.has("previousSecrets")).isFalse();
    }

    @Test
    void redactionShowsOnlyPrefixes() throws Exception {
        ObjectNode stored = SecretSettings.update(obj("{\"rotateSecret\": true}"), obj("{\"secret\": \"" + KNOWN + "\"}"),
                NOW, DAY);

        ObjectNode shown = SecretSettings.redact(stored);

        assertThat(shown.toString()).doesNotContain(KNOWN).doesNotContain(stored.get("secret").asText());
        assertThat(shown.get("secretPrefix").asText()).hasSize(10).startsWith("whsec_");
        assertThat(shown.get("previousSecrets").get(0).get("secretPrefix").asText()).isEqualTo("whsec_MfKQ");
        assertThat(shown.get("previousSecrets").get(0).get("expires").asLong()).isEqualTo(NOW.plus(DAY).getEpochSecond());
    }

    @Test
    void signingWithoutAValidSecretFailsClearly() {
        assertThatThrownBy(() -> SecretSettings.signingKeys(obj("{}"), NOW)).hasMessageContaining("no valid secret");
    }

    private static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
