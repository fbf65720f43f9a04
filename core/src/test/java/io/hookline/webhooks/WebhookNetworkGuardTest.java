package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.AdminPort;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network guard with nothing allowed (the production default): a literal address in a denied range is refused at
 * create; a name resolving into one is accepted, but its deliveries fail with status 0 and the reason, and the
 * receiver gets nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookNetworkGuardTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "network.allowedNetworks", "",
            "webhooks.minIntervalMs", "100",
            "webhooks.maxRetries", "1");
    static final Duration T = Duration.ofSeconds(15);
    static final Receiver RECEIVER = new Receiver();

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    static int port() {
        return Integer.parseInt(RECEIVER.url().replaceAll(".*:(\\d+)/.*", "$1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/hook", "http://[::1]:%d/hook", "http://10.1.2.3/hook",
            "https://192.168.0.10:%d/", "http://169.254.169.254/latest/meta-data/", "http://100.64.1.1/",
            "http://[::ffff:127.0.0.1]:%d/hook", "http://[fe80::1]/", "http://[fd00::1]/", "http://0.0.0.0:%d/",
            "http://224.0.0.1/", "http://[64:ff9b::7f00:1]:%d/", "http://2130706433:%d/hook"})
    void aLiteralInADeniedRangeIsRefusedAtCreate(String pattern) {
        Hooks.Account a = hooks.account();
        String url = String.format(pattern, port());
        ApiClient.Reply r = api.post(a.path("/webhooks"), a.appToken(), Map.of("url", url));
        assertThat(r.status()).as(url + " -> " + r.body()).isEqualTo(400);
        assertThat(r.errorId()).isEqualTo("invalid-parameters-format");
        assertThat(r.body().path("error").path("message").asText()).contains("denied range");
        // through a batch call too
        ApiClient.Reply b = api.post(a.path("/"), a.appToken(),
                List.of(Map.of("method", "webhooks.create", "params", Map.of("url", url))));
        assertThat(b.body().path("results").get(0).path("error").path("id").asText())
                .isEqualTo("invalid-parameters-format");
        assertThat(api.get(a.path("/webhooks"), a.appToken()).body().path("webhooks")).isEmpty();
    }

    @Test
    void aPublicLiteralIsAccepted() {
        Hooks.Account a = hooks.account();
        String id = hooks.createWebhook(a, "http://8.8.8.8/hook");
        // removed again before any change could send it anywhere
        assertThat(api.delete(a.path("/webhooks/" + id), a.appToken()).status()).isEqualTo(200);
    }

    @Test
    void aNameResolvingToLoopbackIsAcceptedButItsDeliveriesAreRefused() {
        Hooks.Account a = hooks.account();
        String url = "http://localhost:" + port() + "/hook";
        String id = hooks.createWebhook(a, url);
        int before = RECEIVER.hits().size();

        // webhooks.test: refused before any connection, answered as an unreachable target
        ApiClient.Reply t = api.post(a.path("/webhooks/" + id + "/test"), a.appToken(), null);
        assertThat(t.status()).as(t.body().toString()).isEqualTo(400);
        assertThat(t.errorId()).isEqualTo("unknown-referenced-resource");
        assertThat(t.body().path("error").path("data").path("url").asText()).isEqualTo(url);
        assertThat(t.body().path("error").path("message").asText()).contains("denied range");

        hooks.createEvent(a);
        JsonNode w = hooks.awaitRuns(a, id, 1, T);
        assertThat(w.path("lastRun").path("status").asInt()).isZero();
        JsonNode run = w.path("runs").get(0);
        assertThat(run.path("status").asInt()).isZero();
        assertThat(run.path("reason").asText()).contains("denied range").contains("localhost");
        assertThat(w.path("failCount").asInt()).isEqualTo(1);

        assertThat(run.path("held").asBoolean()).isTrue();

        // the operator's policy is not the webhook's fault: held back with backoff, never deactivated (maxRetries 1)
        JsonNode later = hooks.awaitRuns(a, id, 3, T);
        assertThat(later.path("state").asText()).isEqualTo("active");
        assertThat(later.path("currentRetries").asInt()).isZero();
        assertThat(later.path("runs").findValues("held")).allSatisfy(h -> assertThat(h.asBoolean()).isTrue());
        // counted by notifier type and kind on the admin port
        assertThat(AdminPort.of(APP).meterCount("hookline.deliveries.failures.http.held")).isGreaterThanOrEqualTo(3);
        assertThat(RECEIVER.hits()).hasSize(before);
    }
}
