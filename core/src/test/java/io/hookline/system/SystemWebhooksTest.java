package io.hookline.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The operators' webhook calls: list across users by state, type, owner and failure; reactivate in bulk. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SystemWebhooksTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalFloorMs", "100");
    final ApiClient api = TestApps.client(APP);

    /** A user with an app access and webhooks of these types (labels for {@code log}); returns their ids. */
    private List<String> webhooks(ApiClient.User u, String... types) {
        String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                "permissions", List.of(Map.of("streamId", "*", "level", "read")))).get("token").asText();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String url = types[i].equals("log") ? "label-" + i : "https://example.com/hook-" + i;
            ApiClient.Reply r = api.post("/" + u.username() + "/webhooks", app,
                    Map.of("url", url, "type", types[i], "settings", types[i].equals("signed-http")
                            ? Map.of("secret", "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") : Map.of()));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
            ids.add(r.body().path("webhook").path("id").asText());
            if (i == 0) {
                assertThat(api.put("/" + u.username() + "/webhooks/" + ids.get(0), app, Map.of("state", "inactive"))
                        .status()).isEqualTo(200);
            }
        }
        return ids;
    }

    private ApiClient.Reply admin(String method, String path, Object body) {
        return api.sendWithHeaders(method, path, Map.of("Authorization", TestApps.ADMIN_KEY), body);
    }

    @Test
    void listsAcrossUsersByStateTypeAndOwnerWithSecretsRedacted() {
        ApiClient.User carol = api.newUser("carol");
        ApiClient.User dave = api.newUser("dave");
        List<String> c = webhooks(carol, "log", "signed-http");
        List<String> d = webhooks(dave, "log", "log");

        JsonNode inactiveLogs = admin("GET", "/system/webhooks?state=inactive&type=log", null).body();
        assertThat(inactiveLogs.path("webhooks").findValuesAsText("id")).contains(c.get(0), d.get(0))
                .doesNotContain(c.get(1), d.get(1));

        JsonNode ofCarol = admin("GET", "/system/webhooks?username=" + carol.username(), null).body();
        assertThat(ofCarol.path("total").asInt()).isEqualTo(2);
        assertThat(ofCarol.path("webhooks").findValuesAsText("username")).containsOnly(carol.username());
        JsonNode signed = ofCarol.path("webhooks").get(1);
        assertThat(signed.path("type").asText()).isEqualTo("signed-http");
        assertThat(signed.path("settings").toString()).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        JsonNode page = admin("GET", "/system/webhooks?username=" + carol.username() + "&limit=1&offset=1", null)
                .body();
        assertThat(page.path("webhooks").findValuesAsText("id")).containsExactly(c.get(1));
        assertThat(page.path("total").asInt()).isEqualTo(2);

        JsonNode notFailing = admin("GET", "/system/webhooks?failing=false&username=" + dave.username(), null).body();
        assertThat(notFailing.path("total").asInt()).isEqualTo(2); // nothing ran yet
    }

    @Test
    void reactivatesInBulkByFilterOrIds() {
        ApiClient.User erin = api.newUser("erin");
        ApiClient.User frank = api.newUser("frank");
        List<String> e = webhooks(erin, "log", "log");
        List<String> f = webhooks(frank, "log");

        ApiClient.Reply byName = admin("POST", "/system/webhooks/reactivate", Map.of("username", erin.username()));
        assertThat(byName.status()).as(byName.body().toString()).isEqualTo(200);
        assertThat(texts(byName.body().path("reactivated"))).containsExactly(e.get(0));
        assertThat(state(frank, f.get(0))).isEqualTo("inactive");

        ApiClient.Reply byIds = admin("POST", "/system/webhooks/reactivate", Map.of("ids", List.of(f.get(0))));
        assertThat(texts(byIds.body().path("reactivated"))).containsExactly(f.get(0));
        JsonNode w = admin("GET", "/system/webhooks?username=" + frank.username(), null).body()
                .path("webhooks").get(0);
        assertThat(w.path("state").asText()).isEqualTo("active");
        assertThat(w.path("currentRetries").asInt()).isZero();
        assertThat(w.path("modifiedBy").asText()).isEqualTo("system");
        assertThat(w.path("effectiveMinIntervalMs").asLong()).isEqualTo(w.path("minIntervalMs").asLong());

        // again: nothing left to do
        assertThat(texts(admin("POST", "/system/webhooks/reactivate", Map.of("ids", List.of(f.get(0)))).body()
                .path("reactivated"))).isEmpty();
    }

    @Test
    void theIntervalInForceIsShownWhenTheNotifiersMinimumIsLonger() {
        ApiClient.User gina = api.newUser("gina");
        String app = api.createAccess(gina, gina.token(), Map.of("type", "app", "name", "a",
                "permissions", List.of(Map.of("streamId", "*", "level", "read")))).get("token").asText();
        // Slack's notifier delivers at most once a second, longer than the webhook's own 200 ms
        ApiClient.Reply slack = api.post("/" + gina.username() + "/webhooks", app,
                Map.of("url", "https://hooks.slack.com/services/T0/B0/x", "type", "slack", "minIntervalMs", 200));
        assertThat(slack.status()).as(slack.body().toString()).isEqualTo(201);
        assertThat(slack.body().path("webhook").path("minIntervalMs").asLong()).isEqualTo(200);
        assertThat(slack.body().path("webhook").path("effectiveMinIntervalMs").asLong()).isEqualTo(1000);
        ApiClient.Reply plain = api.post("/" + gina.username() + "/webhooks", app,
                Map.of("url", "https://example.com/plain", "minIntervalMs", 200));
        assertThat(plain.body().path("webhook").has("effectiveMinIntervalMs")).as("only where it differs").isFalse();

        JsonNode listed = admin("GET", "/system/webhooks?username=" + gina.username(), null).body().path("webhooks");
        assertThat(listed.findValuesAsText("effectiveMinIntervalMs")).containsExactly("1000", "200");
    }

    @Test
    void theAdminKeyIsRequiredAndBadFiltersAreRefused() {
        ApiClient.Reply none = api.get("/system/webhooks", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorId()).isEqualTo("invalid-access-token");
        ApiClient.Reply wrong = api.sendWithHeaders("POST", "/system/webhooks/reactivate",
                Map.of("Authorization", "not-the-key"), Map.of());
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.errorId()).isEqualTo("invalid-access-token");

        ApiClient.Reply badState = admin("GET", "/system/webhooks?state=sleeping", null);
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.errorId()).isEqualTo("invalid-parameters-format");
        ApiClient.Reply badLimit = admin("GET", "/system/webhooks?limit=0", null);
        assertThat(badLimit.errorId()).isEqualTo("invalid-parameters-format");
        ApiClient.Reply activeState = admin("POST", "/system/webhooks/reactivate", Map.of("state", "active"));
        assertThat(activeState.errorId()).isEqualTo("invalid-parameters-format");
    }

    private String state(ApiClient.User u, String id) {
        return admin("GET", "/system/webhooks?username=" + u.username(), null).body().path("webhooks")
                .findValuesAsText("state").get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
