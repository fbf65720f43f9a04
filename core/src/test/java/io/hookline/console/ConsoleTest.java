package io.hookline.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's JSON on both ports: open on the admin port, only with the admin key on the API port; the listing
 * across users with its filters; one webhook with its attempts; pause, reactivate and test; bad requests answered with
 * an error id.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "100", "webhooks.maxRetries", "20", "webhooks.maxBackoff", "1s");
    static final Duration T = Duration.ofSeconds(20);
    static final Map<String, String> ACTION = Map.of("X-Hookline-Console", "1");

    final ApiClient api = TestApps.client(APP);
    final ApiClient admin = new ApiClient("http://127.0.0.1:" + APP.getAdminPort());

    /**
     * A console answer: the envelope's {@code meta} and {@code API-Version}, and no CORS grant (another site's page
     * must not read it, nor act without a pre-flight the console refuses).
     */
    private static ApiClient.Reply console(ApiClient.Reply r, int status) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.body().path("meta").path("apiVersion").isTextual()).as("meta in %s", r.body()).isTrue();
        assertThat(r.body().path("meta").path("serverTime").isNumber()).isTrue();
        assertThat(r.header("API-Version")).isEqualTo(r.body().path("meta").path("apiVersion").asText());
        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        assertThat(r.body().has("error")).as("error in %s", r.body()).isEqualTo(status >= 400);
        return r;
    }

    private static ApiClient.Reply error(ApiClient.Reply r, int status, String id) {
        console(r, status);
        assertThat(r.errorId()).as("error id in %s", r.body()).isEqualTo(id);
        assertThat(r.body().path("error").path("message").asText()).isNotBlank();
        return r;
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A user with an app access and a webhook to {@code url}; answers {username, appToken, webhookId}. */
    private String[] webhookTo(String url) {
        ApiClient.User u = api.createUser("c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "count", "name", "Count")), 201);
        JsonNode app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "console-check",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage"))));
        String token = app.get("token").asText();
        String id = ok(api.post("/" + u.username() + "/webhooks", token, Map.of("url", url)), 201).body()
                .path("webhook").path("id").asText();
        ok(api.post("/" + u.username() + "/events", token, Map.of("streamIds", List.of("count"), "type", "count/steps",
                "content", 1)), 201);
        return new String[]{u.username(), token, id};
    }

    private static List<String> ids(JsonNode list) {
        return list.path("webhooks").findValues("id").stream().map(JsonNode::asText).toList();
    }

    @Test
    void listsAcrossUsersByFilterAndActsOnOneWebhook() {
        boolean[] healthy = {false};
        try (Receiver failing = new Receiver().answering(n -> healthy[0] ? Receiver.status(200)
                : io.hookline.notifier.testkit.LoopbackReceiver.Answer.of(500, "out of order"));
             Receiver fine = new Receiver()) {
            String[] bad = webhookTo(failing.url());
            String[] good = webhookTo(fine.url());
            fine.await(1, T);
            JsonNode[] seen = new JsonNode[1];
            try {
                Wait.until(() -> ids(seen[0] = admin.get("/console/api/webhooks?failing=true", null).body())
                        .contains(bad[2]), T, "the failing webhook listed as failing");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; listed: " + seen[0], e);
            }

            JsonNode listed = console(admin.get("/console/api/webhooks?failing=true&state=active&type=http", null), 200)
                    .body();
            assertThat(ids(listed)).contains(bad[2]).doesNotContain(good[2]);
            JsonNode row = listed.path("webhooks").get(ids(listed).indexOf(bad[2]));
            assertThat(row.path("username").asText()).isEqualTo(bad[0]);
            assertThat(row.path("type").asText()).isEqualTo("http");
            assertThat(ids(console(admin.get("/console/api/webhooks?state=inactive", null), 200).body()))
                    .doesNotContain(bad[2], good[2]);
            assertThat(ids(console(admin.get("/console/api/webhooks", null), 200).body())).contains(bad[2], good[2]);

            JsonNode one = console(admin.get("/console/api/webhooks/" + bad[2], null), 200).body();
            JsonNode attempt = one.path("attempts").get(0);
            assertThat(attempt.path("error").asText()).isEqualTo("http-5xx");
            assertThat(attempt.path("answer").asText()).isEqualTo("out of order");

            JsonNode paused = console(admin.sendWithHeaders("POST", "/console/api/webhooks/" + bad[2] + "/pause",
                    ACTION, null), 200).body();
            assertThat(paused.path("webhook").path("state").asText()).isEqualTo("inactive");
            assertThat(paused.path("webhook").path("modifiedBy").asText()).isEqualTo("system");
            assertThat(ids(console(admin.get("/console/api/webhooks?state=inactive", null), 200).body()))
                    .contains(bad[2]);

            JsonNode test = console(admin.sendWithHeaders("POST", "/console/api/webhooks/" + bad[2] + "/test", ACTION,
                    null), 200).body();
            assertThat(test.path("delivered").asBoolean()).isFalse();
            assertThat(test.path("status").asInt()).isEqualTo(500);

            healthy[0] = true;
            JsonNode on = console(admin.sendWithHeaders("POST", "/console/api/webhooks/" + bad[2] + "/reactivate",
                    ACTION, null), 200).body();
            assertThat(on.path("webhook").path("state").asText()).isEqualTo("active");
            assertThat(on.path("webhook").path("currentRetries").asInt()).isZero();
            Wait.until(() -> api.get("/" + bad[0] + "/webhooks/" + bad[2], bad[1]).body().path("webhook")
                    .path("lastRun").path("status").asInt() == 200, T, "the next delivery succeeds");
        }
    }

    @Test
    void theOverviewCarriesTheChartsPluginsAndHealth() {
        JsonNode o = console(admin.get("/console/api/overview", null), 200).body();
        JsonNode minutes = o.path("minutes");
        assertThat(minutes.size()).isBetween(1, DeliveryHistory.MINUTES + 1);
        JsonNode now = minutes.get(minutes.size() - 1);
        for (String f : List.of("start", "delivered", "retry", "permanent", "oldestDueMs")) {
            assertThat(now.path(f).isIntegralNumber()).as(f).isTrue();
        }
        assertThat(o.path("plugins").toString()).contains("\"http\"");
        assertThat(o.path("health").findValues("name").stream().map(JsonNode::asText).toList())
                .contains("delivery-lag", "plugins");
    }

    @Test
    void thePagesAreServedFromTheJar() {
        HttpResponse<byte[]> page = admin.getBytes("/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("console.js")
                .doesNotContain("http://", "https://");
        assertThat(admin.getBytes("/console/console.js", null).statusCode()).isEqualTo(200);
        assertThat(admin.getBytes("/console/console.css", null).statusCode()).isEqualTo(200);
        assertThat(admin.getBytes("/console", null).statusCode()).as("redirected to /console/").isEqualTo(302);
    }

    @Test
    void onTheApiPortOnlyWithTheAdminKey() {
        ApiClient.Reply none = error(api.get("/console/api/overview", null), 401, "invalid-access-token");
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
        error(api.get("/console/", null), 401, "invalid-access-token");
        error(api.get("/console/console.js", null), 401, "invalid-access-token");
        error(api.sendWithHeaders("GET", "/console/api/overview", Map.of("Authorization", basic("wrong")), null), 403,
                "invalid-access-token");
        error(api.sendWithHeaders("GET", "/console/api/overview", Map.of("Authorization", "Basic %%%"), null), 403,
                "invalid-access-token");
        console(api.sendWithHeaders("GET", "/console/api/overview", Map.of("Authorization", basic(TestApps.ADMIN_KEY)),
                null), 200);
        console(api.get("/console/api/webhooks", TestApps.ADMIN_KEY), 200);
        assertThat(api.getBytes("/console/", TestApps.ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsGetAnErrorId() {
        error(admin.get("/console/api/webhooks?state=paused", null), 400, "invalid-parameters-format");
        error(admin.get("/console/api/webhooks?color=red", null), 400, "invalid-parameters-format");
        error(admin.get("/console/api/webhooks/nothing-here", null), 404, "unknown-resource");
        error(admin.get("/console/api/nothing", null), 404, "unknown-resource");
        error(admin.get("/console/nothing.html", null), 404, "unknown-resource");
        error(admin.sendWithHeaders("POST", "/console/api/webhooks/nothing-here/pause", ACTION, null), 404,
                "unknown-resource");
        // an action without the console's header (what another site's form could send): refused
        error(admin.post("/console/api/webhooks/nothing-here/pause", null, null), 403, "forbidden");
        error(admin.sendWithHeaders("DELETE", "/console/api/webhooks/x", ACTION, null), 405, "invalid-operation");
        error(admin.sendWithHeaders("POST", "/console/api/overview", ACTION, null), 405, "invalid-operation");
    }
}
