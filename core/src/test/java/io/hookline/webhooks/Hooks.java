package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.Wait;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts, accesses and webhooks for the webhook tests, over the real HTTP API. */
final class Hooks {
    /** Pryv's 15 fields: every read shows all of them. */
    static final Set<String> FIELDS = Set.of("id", "accessId", "url", "minIntervalMs",
            "maxRetries", "currentRetries", "state", "runCount", "failCount", "lastRun", "runs", "created",
            "createdBy", "modified", "modifiedBy");

    final ApiClient api;

    Hooks(ApiClient api) {
        this.api = api;
    }

    /** A user with a root stream {@code count} and an app access managing everything. */
    record Account(ApiClient.User user, String appToken, String appId) {
        String name() {
            return user.username();
        }

        String personal() {
            return user.token();
        }

        String path(String rest) {
            return user.path(rest);
        }
    }

    Account account() {
        ApiClient.User u = api.createUser("u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        ApiClient.Reply s = api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "count", "name", "Count"));
        assertThat(s.status()).as(s.body().toString()).isEqualTo(201);
        JsonNode app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "steps-server",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage"))));
        return new Account(u, app.get("token").asText(), app.get("id").asText());
    }

    /** Creates an access with {@code token}; returns {@code {id, token}}. */
    JsonNode access(Account a, String token, String type, String name) {
        return api.createAccess(a.user(), token, Map.of("type", type, "name", name,
                "permissions", List.of(Map.of("streamId", "*", "level", "manage"))));
    }

    String createWebhook(Account a, String token, String url) {
        ApiClient.Reply r = api.post(a.path("/webhooks"), token, Map.of("url", url));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertAllFields(r.body().path("webhook"));
        return r.body().path("webhook").path("id").asText();
    }

    String createWebhook(Account a, String url) {
        return createWebhook(a, a.appToken(), url);
    }

    /** The webhook as its creator (the app access) sees it. */
    JsonNode webhook(Account a, String id) {
        return webhook(a, a.appToken(), id);
    }

    JsonNode webhook(Account a, String token, String id) {
        ApiClient.Reply r = api.get(a.path("/webhooks/" + id), token);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        JsonNode w = r.body().path("webhook");
        assertAllFields(w);
        return w;
    }

    /** Waits until the webhook, as read through the API, satisfies {@code condition}; returns it. */
    JsonNode awaitWebhook(Account a, String id, Predicate<JsonNode> condition, Duration timeout, String what) {
        JsonNode[] last = new JsonNode[1];
        Wait.until(() -> condition.test(last[0] = webhook(a, id)), timeout,
                what + " (webhook now: " + (last[0] == null ? "?" : last[0]) + ")");
        return last[0];
    }

    JsonNode awaitRuns(Account a, String id, int runCount, Duration timeout) {
        return awaitWebhook(a, id, w -> w.path("runCount").asInt() >= runCount, timeout, runCount + " run(s)");
    }

    JsonNode setState(Account a, String token, String id, String state) {
        ApiClient.Reply r = api.put(a.path("/webhooks/" + id), token, Map.of("state", state));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertAllFields(r.body().path("webhook"));
        return r.body().path("webhook");
    }

    String createEvent(Account a) {
        ApiClient.Reply r = api.post(a.path("/events"), a.appToken(),
                Map.of("streamIds", List.of("count"), "type", "count/steps", "content", 100));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("event").path("id").asText();
    }

    /**
     * Asserts the exact field set of a webhook and the type of each field: Pryv's fields, {@code type} and
     * {@code settings} only beside another notifier or settings, {@code scopes} only when set.
     */
    static void assertAllFields(JsonNode w) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) names.add(it.next());
        Set<String> expected = new TreeSet<>(FIELDS);
        if (w.has("type")) {
            expected.addAll(Set.of("type", "settings"));
            assertThat(w.path("type").isTextual()).isTrue();
            assertThat(w.path("settings").isObject()).isTrue();
            assertThat(!w.path("type").asText().equals("http") || !w.path("settings").isEmpty())
                    .as("a plain http webhook shows no type: " + w).isTrue();
        }
        if (w.has("scopes")) {
            expected.add("scopes");
            assertThat(w.path("scopes").isObject()).isTrue();
        }
        assertThat(names).as("fields of " + w).isEqualTo(expected);
        assertThat(w.path("id").isTextual()).isTrue();
        assertThat(w.path("accessId").isTextual()).isTrue();
        assertThat(w.path("url").isTextual()).isTrue();
        assertThat(w.path("minIntervalMs").isIntegralNumber()).isTrue();
        assertThat(w.path("maxRetries").isIntegralNumber()).isTrue();
        assertThat(w.path("currentRetries").isIntegralNumber()).isTrue();
        assertThat(w.path("state").asText()).isIn("active", "inactive");
        assertThat(w.path("runCount").isIntegralNumber()).isTrue();
        assertThat(w.path("failCount").isIntegralNumber()).isTrue();
        assertThat(w.path("lastRun").path("status").isIntegralNumber()).as("lastRun.status").isTrue();
        assertThat(w.path("lastRun").path("timestamp").isNumber()).as("lastRun.timestamp").isTrue();
        assertThat(w.path("runs").isArray()).isTrue();
        assertThat(w.path("created").isNumber()).isTrue();
        assertThat(w.path("createdBy").isTextual()).isTrue();
        assertThat(w.path("modified").isNumber()).isTrue();
        assertThat(w.path("modifiedBy").isTextual()).isTrue();
    }

    /** Gaps between consecutive hits, in milliseconds. */
    static List<Long> gapsMs(List<Receiver.Hit> hits) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < hits.size(); i++) out.add((hits.get(i).atNanos() - hits.get(i - 1).atNanos()) / 1_000_000);
        return out;
    }
}
