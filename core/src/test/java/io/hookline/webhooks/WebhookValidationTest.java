package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to webhooks.create and webhooks.update, over REST and in batch calls. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookValidationTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalMs", "100");
    static final Receiver RECEIVER = new Receiver();

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    @AfterAll
    static void close() {
        RECEIVER.close();
    }

    private ApiClient.Reply create(Hooks.Account a, Map<String, Object> body) {
        return api.post(a.path("/webhooks"), a.appToken(), body);
    }

    private static Map<String, Object> with(String url, String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put("url", url);
        m.put(key, value);
        return m;
    }

    private static void assertError(ApiClient.Reply r, int status, String id) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.errorId()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "accessId", "state", "runCount", "failCount", "currentRetries", "maxRetries",
            "minIntervalMs", "lastRun", "runs", "created", "createdBy", "modified", "modifiedBy", "color"})
    void serverManagedOrUnknownPropertiesAtCreateAre400(String key) {
        Hooks.Account a = hooks.account();
        Object value = switch (key) {
            case "runCount", "failCount", "currentRetries", "created", "modified" -> 1;
            // Settable at creation, but these are out of range.
            case "maxRetries" -> -1;
            case "minIntervalMs" -> 1;
            case "lastRun" -> Map.of("status", 200, "timestamp", 1);
            case "runs" -> List.of();
            case "state" -> "inactive";
            default -> "x";
        };
        ApiClient.Reply r = create(a, with(RECEIVER.url("/" + key), key, value));
        assertError(r, 400, "invalid-parameters-format");
        assertThat(r.body().path("error").path("message").asText()).contains(key);
        ApiClient.Reply b = api.post(a.path("/"), a.appToken(), List.of(Map.of("method", "webhooks.create",
                "params", with(RECEIVER.url("/" + key), key, value))));
        assertThat(b.body().path("results").get(0).path("error").path("id").asText())
                .isEqualTo("invalid-parameters-format");
        assertThat(api.get(a.path("/webhooks"), a.personal()).body().path("webhooks")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "/relative/path", "example.com/hook", "ftp://example.com/hook",
            "file:///etc/passwd", "mailto:someone@example.com", "javascript:alert(1)", "http://", "http:///path",
            "", "   ", "http://user:secret@127.0.0.1:9/hook"})
    void urlsThatAreNotAbsoluteHttpAre400(String url) {
        Hooks.Account a = hooks.account();
        assertError(create(a, Map.of("url", url)), 400, "invalid-parameters-format");
    }

    @Test
    void aMissingOrMistypedUrlIs400() {
        Hooks.Account a = hooks.account();
        assertError(create(a, Map.of()), 400, "invalid-parameters-format");
        assertError(create(a, Map.of("url", 42)), 400, "invalid-parameters-format");
        assertError(create(a, Map.of("url", List.of("http://example.com"))), 400, "invalid-parameters-format");
        assertError(create(a, Map.of("url", "http://example.com/" + "x".repeat(3000))), 400,
                "invalid-parameters-format");
        assertError(api.post(a.path("/webhooks"), a.appToken(), "[1, 2]"), 400, "invalid-request-structure");
        assertError(api.post(a.path("/webhooks"), a.appToken(), "{\"url\": "), 400, "invalid-request-structure");
    }

    @Test
    void anUnknownTypeIs400NamingTheInstalledTypes() {
        Hooks.Account a = hooks.account();
        ApiClient.Reply r = create(a, Map.of("url", RECEIVER.url("/t"), "type", "carrier-pigeon"));
        assertError(r, 400, "invalid-parameters-format");
        String message = r.body().path("error").path("message").asText();
        assertThat(message).contains("carrier-pigeon").contains("http");
        assertThat(r.body().path("error").path("data").path("installedTypes").toString()).contains("\"http\"");
        assertError(create(a, Map.of("url", RECEIVER.url("/t"), "type", 7)), 400, "invalid-parameters-format");
        // the default and explicit http type are accepted
        ApiClient.Reply ok = create(a, Map.of("url", RECEIVER.url("/t"), "type", "http"));
        assertThat(ok.status()).as(ok.body().toString()).isEqualTo(201);
        assertThat(ok.body().path("webhook").has("type")).as("http is the default, not shown").isFalse();
    }

    @Test
    void settingsTheNotifierDoesNotTakeAre400() {
        Hooks.Account a = hooks.account();
        assertError(create(a, Map.of("url", RECEIVER.url("/s"), "settings", Map.of("secret", "x"))), 400,
                "invalid-parameters-format");
        assertError(create(a, Map.of("url", RECEIVER.url("/s"), "settings", "x")), 400,
                "invalid-parameters-format");
        ApiClient.Reply ok = create(a, Map.of("url", RECEIVER.url("/s"), "settings", Map.of()));
        assertThat(ok.status()).as(ok.body().toString()).isEqualTo(201);
    }

    @Test
    void aDuplicateUrlForOneAccessIs409ButAnotherAccessMayUseIt() {
        Hooks.Account a = hooks.account();
        String url = RECEIVER.url("/dup");
        hooks.createWebhook(a, url);
        ApiClient.Reply r = create(a, Map.of("url", url));
        assertError(r, 409, "item-already-exists");
        assertThat(r.body().path("error").path("data").path("url").asText()).isEqualTo(url);
        ApiClient.Reply b = api.post(a.path("/"), a.appToken(),
                List.of(Map.of("method", "webhooks.create", "params", Map.of("url", url))));
        JsonNode err = b.body().path("results").get(0).path("error");
        assertThat(err.path("id").asText()).isEqualTo("item-already-exists");
        assertThat(err.path("data").path("url").asText()).isEqualTo(url);

        JsonNode shared = hooks.access(a, a.appToken(), "shared", "coach");
        hooks.createWebhook(a, shared.path("token").asText(), url);
        assertThat(api.get(a.path("/webhooks"), a.personal()).body().path("webhooks")).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"url", "id", "accessId", "type", "runCount", "failCount", "currentRetries", "maxRetries",
            "minIntervalMs", "lastRun", "runs", "created", "createdBy", "modified", "modifiedBy"})
    void readOnlyPropertiesAtUpdateAre403(String key) {
        Hooks.Account a = hooks.account();
        String id = hooks.createWebhook(a, RECEIVER.url("/ro/" + key));
        JsonNode before = hooks.webhook(a, id);
        ApiClient.Reply r = api.put(a.path("/webhooks/" + id), a.appToken(), Map.of(key, before.path(key)));
        assertError(r, 403, "forbidden");
        assertThat(r.body().path("error").path("message").asText()).contains(key);
        ApiClient.Reply b = api.post(a.path("/"), a.appToken(), List.of(Map.of("method", "webhooks.update",
                "params", Map.of("id", id, "update", Map.of(key, before.path(key), "state", "inactive")))));
        assertThat(b.body().path("results").get(0).path("error").path("id").asText()).isEqualTo("forbidden");
        assertThat(hooks.webhook(a, id)).isEqualTo(before);
    }

    @Test
    void badUpdatesAre400AndChangeNothing() {
        Hooks.Account a = hooks.account();
        String id = hooks.createWebhook(a, RECEIVER.url("/bad"));
        JsonNode before = hooks.webhook(a, id);
        String path = a.path("/webhooks/" + id);
        assertError(api.put(path, a.appToken(), Map.of("color", "red")), 400, "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), Map.of("state", "paused")), 400, "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), Map.of("state", "ACTIVE")), 400, "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), Map.of("state", 1)), 400, "invalid-parameters-format");
        Map<String, Object> nullState = new HashMap<>();
        nullState.put("state", null);
        assertError(api.put(path, a.appToken(), nullState), 400, "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), Map.of("state", "inactive", "color", "red")), 400,
                "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), Map.of("settings", "x")), 400, "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), Map.of("settings", Map.of("secret", "x"))), 400,
                "invalid-parameters-format");
        assertError(api.put(path, a.appToken(), "[]"), 400, "invalid-request-structure");
        // batch: unknown keys beside id and update, an update that is not an object, a missing id
        ApiClient.Reply b = api.post(a.path("/"), a.appToken(), List.of(
                Map.of("method", "webhooks.update", "params", Map.of("id", id, "update", Map.of("state", "x"))),
                Map.of("method", "webhooks.update", "params", Map.of("id", id, "update", "inactive")),
                Map.of("method", "webhooks.update", "params", Map.of("id", id, "state", "inactive")),
                Map.of("method", "webhooks.update", "params", Map.of("update", Map.of("state", "inactive")))));
        b.body().path("results").forEach(res ->
                assertThat(res.path("error").path("id").asText()).as(res.toString())
                        .isEqualTo("invalid-parameters-format"));
        assertThat(hooks.webhook(a, id)).isEqualTo(before);

        // and the good ones work, REST and batch
        assertThat(hooks.setState(a, a.appToken(), id, "inactive").path("state").asText()).isEqualTo("inactive");
        ApiClient.Reply on = api.post(a.path("/"), a.appToken(), List.of(Map.of("method", "webhooks.update",
                "params", Map.of("id", id, "update", Map.of("state", "active")))));
        assertThat(on.body().path("results").get(0).path("webhook").path("state").asText()).isEqualTo("active");
    }

    @Test
    void invalidPortsAndAmbiguousAddressesAreRefusedAtCreate() {
        Hooks.Account a = hooks.account();
        for (String url : List.of("http://example.com:0/hook", "http://example.com:99999/hook",
                "http://example.com:65536/", "http://0177.0.0.1/", "http://0177.0.0.01:8080/", "http://127.1/",
                "http://0x7f.0.0.1/", "http://0x7f000001/", "http://017700000001/", "http://127.0.0.1./")) {
            ApiClient.Reply r = create(a, Map.of("url", url));
            assertError(r, 400, "invalid-parameters-format");
            ApiClient.Reply b = api.post(a.path("/"), a.appToken(), List.of(Map.of("method", "webhooks.create",
                    "params", Map.of("url", url))));
            assertThat(b.body().path("results").get(0).path("error").path("id").asText()).as(url)
                    .isEqualTo("invalid-parameters-format");
        }
        assertThat(api.get(a.path("/webhooks"), a.appToken()).body().path("webhooks")).isEmpty();
        assertThat(create(a, Map.of("url", RECEIVER.url("/port-ok"))).status()).isEqualTo(201);
    }
}
