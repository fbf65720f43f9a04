package io.hookline.plugins.signedhttp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardWebhooksTest {
    // The known-answer vector of docs/API.md section 10 (also the Standard Webhooks reference libraries' test vector).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void knownAnswer() {
        assertThat(StandardWebhooks.sign(StandardWebhooks.key(SECRET), ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void severalKeysGiveSpaceSeparatedSignaturesEachVerifiable() {
        String other = StandardWebhooks.newSecret();

        String header = StandardWebhooks.signatureHeader(
                List.of(StandardWebhooks.key(other), StandardWebhooks.key(SECRET)), ID, TIMESTAMP, BODY);

        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        assertThat(header).endsWith(" v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(Verifier.verifies(SECRET, ID, Long.toString(TIMESTAMP), header, BODY)).isTrue();
        assertThat(Verifier.verifies(other, ID, Long.toString(TIMESTAMP), header, BODY)).isTrue();
        assertThat(Verifier.verifies(StandardWebhooks.newSecret(), ID, Long.toString(TIMESTAMP), header, BODY)).isFalse();
    }

    @Test
    void generatedSecretsAre32RandomBytes() {
        String a = StandardWebhooks.newSecret();
        String b = StandardWebhooks.newSecret();

        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(StandardWebhooks.key(a)).hasSize(32);
    }

    @Test
    void keysOf24To64BytesAreAccepted() {
        assertThat(StandardWebhooks.key(secretOf(24))).hasSize(24);
        assertThat(StandardWebhooks.key(secretOf(64))).hasSize(64);
    }

    @Test
    void malformedSecretsAreRefusedWithAReason() {
        assertThatThrownBy(() -> StandardWebhooks.key(secretOf(23))).hasMessageContaining("24 to 64");
        assertThatThrownBy(() -> StandardWebhooks.key(secretOf(65))).hasMessageContaining("24 to 64");
        assertThatThrownBy(() -> StandardWebhooks.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> StandardWebhooks.key(null)).isInstanceOf(IllegalArgumentException.class);
    }

    static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) key[i] = (byte) (i * 7 + 1);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
