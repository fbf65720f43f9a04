package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each message kind reaches a real receiver: {@code eventsChanged}, {@code streamsChanged}, {@code accessesChanged}
 * and {@code test}; the 17 fields are present on every read.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookMessagesTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalMs", "100");
    static final Duration T = Duration.ofSeconds(10);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    /** Runs {@code change}, then waits for the next request and returns its messages. */
    private List<String> next(Receiver r, Runnable change) {
        int before = r.hits().size();
        change.run();
        return r.await(before + 1, T).get(before).messages();
    }

    @Test
    void eventsChangedOnCreateUpdateTrashAndDelete() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            String[] event = new String[1];
            assertThat(next(r, () -> event[0] = hooks.createEvent(a))).containsExactly("eventsChanged");
            assertThat(next(r, () -> ok(api.put(a.path("/events/" + event[0]), a.appToken(),
                    Map.of("content", 200)), 200))).containsExactly("eventsChanged");
            assertThat(next(r, () -> ok(api.delete(a.path("/events/" + event[0]), a.appToken()), 200)))
                    .containsExactly("eventsChanged"); // trashed
            assertThat(next(r, () -> ok(api.delete(a.path("/events/" + event[0]), a.appToken()), 200)))
                    .containsExactly("eventsChanged"); // deleted
            JsonNode w = hooks.awaitRuns(a, id, 4, T);
            assertThat(w.path("runCount").asInt()).isEqualTo(4);
            assertThat(w.path("failCount").asInt()).isZero();
            assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(200);
            assertThat(w.path("runs")).hasSize(4);
            w.path("runs").forEach(run -> assertThat(run.path("status").asInt()).isEqualTo(200));
        }
    }

    @Test
    void streamsChangedOnCreateUpdateTrashAndDelete() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            hooks.createWebhook(a, r.url());
            assertThat(next(r, () -> ok(api.post(a.path("/streams"), a.appToken(),
                    Map.of("id", "sleep", "name", "Sleep", "parentId", "count")), 201)))
                    .containsExactly("streamsChanged");
            assertThat(next(r, () -> ok(api.put(a.path("/streams/sleep"), a.appToken(),
                    Map.of("name", "Sleep time")), 200))).containsExactly("streamsChanged");
            assertThat(next(r, () -> ok(api.delete(a.path("/streams/sleep"), a.appToken()), 200)))
                    .containsExactly("streamsChanged"); // trashed
            assertThat(next(r, () -> ok(api.delete(a.path("/streams/sleep"), a.appToken()), 200)))
                    .containsExactly("streamsChanged"); // deleted
        }
    }

    @Test
    void accessesChangedOnCreateAndDelete() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            hooks.createWebhook(a, r.url());
            JsonNode[] shared = new JsonNode[1];
            assertThat(next(r, () -> shared[0] = hooks.access(a, a.appToken(), "shared", "coach")))
                    .containsExactly("accessesChanged");
            assertThat(next(r, () -> ok(api.delete(a.path("/accesses/" + shared[0].path("id").asText()),
                    a.appToken()), 200))).containsExactly("accessesChanged");
        }
    }

    @Test
    void aRejectedChangeAndAnotherUsersChangesNotifyNothing() {
        try (Receiver r = new Receiver(); Receiver other = new Receiver()) {
            Hooks.Account a = hooks.account();
            Hooks.Account b = hooks.account();
            hooks.createWebhook(a, r.url());
            hooks.createWebhook(b, other.url());
            List<String> messages = next(r, () -> {
                // rolled back: unknown stream
                ApiClient.Reply bad = api.post(a.path("/events"), a.appToken(),
                        Map.of("streamIds", List.of("nowhere"), "type", "count/steps", "content", 1));
                assertThat(bad.status()).isEqualTo(400);
                hooks.createEvent(b); // another user's change
                ok(api.put(a.path("/streams/count"), a.appToken(), Map.of("name", "Counts")), 200);
            });
            assertThat(messages).containsExactly("streamsChanged");
            assertThat(other.await(1, T).get(0).messages()).containsExactly("eventsChanged");
        }
    }

    @Test
    void changesThroughABatchCallNotifyToo() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            hooks.createWebhook(a, r.url());
            List<String> messages = next(r, () -> {
                ApiClient.Reply b = api.post(a.path("/"), a.appToken(), List.of(
                        Map.of("method", "streams.create", "params", Map.of("id", "b1", "name", "B1")),
                        Map.of("method", "events.create", "params", Map.of("streamIds", List.of("b1"),
                                "type", "note/txt", "content", "hi"))));
                ok(b, 200);
                assertThat(b.body().path("results").get(1).has("event")).as(b.body().toString()).isTrue();
            });
            // both calls may land in one delivery or two; together they carry both kinds, in order
            if (messages.size() == 1) messages = List.of(messages.get(0), r.await(2, T).get(1).messages().get(0));
            assertThat(messages).containsExactly("streamsChanged", "eventsChanged");
        }
    }

    @Test
    void testSendsATestMessageAndRecordsNoRun() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            ApiClient.Reply t = api.post(a.path("/webhooks/" + id + "/test"), a.appToken(), null);
            assertThat(t.status()).as(t.body().toString()).isEqualTo(200);
            Hooks.assertAllFields(t.body().path("webhook"));
            assertThat(t.body().path("webhook").path("id").asText()).isEqualTo(id);
            Receiver.Hit hit = r.await(1, T).get(0);
            assertThat(hit.messages()).containsExactly("test");
            assertThat(hit.json().path("meta").path("apiVersion").isTextual()).isTrue();
            assertThat(hit.header("Content-Type")).startsWith("application/json");
            JsonNode w = hooks.webhook(a, id);
            assertThat(w.path("runCount").asInt()).isZero();
            assertThat(w.path("failCount").asInt()).isZero();
            assertThat(w.path("runs")).isEmpty();
            assertThat(w.path("lastRun").path("status").asInt()).isZero();
            assertThat(w.path("lastRun").path("timestamp").asDouble()).isZero();
            // the test message is not left pending: the next delivery carries only the change
            assertThat(next(r, () -> hooks.createEvent(a))).containsExactly("eventsChanged");
        }
    }

    @Test
    void testOfAFailingTargetIsUnknownReferencedResource() {
        try (Receiver failing = new Receiver().answering(n -> Receiver.status(500));
             Receiver target = new Receiver();
             Receiver redirecting = new Receiver().answering(n ->
                     new Answer(302, Map.of("Location", target.url()), ""))) {
            Hooks.Account a = hooks.account();
            for (Receiver r : List.of(failing, redirecting)) {
                String id = hooks.createWebhook(a, r.url());
                ApiClient.Reply t = api.post(a.path("/webhooks/" + id + "/test"), a.appToken(), null);
                assertThat(t.status()).as(t.body().toString()).isEqualTo(400);
                assertThat(t.errorId()).isEqualTo("unknown-referenced-resource");
                assertThat(t.body().path("error").path("data").path("url").asText()).isEqualTo(r.url());
                assertThat(r.hits()).hasSize(1);
                JsonNode w = hooks.webhook(a, id);
                assertThat(w.path("runCount").asInt()).isZero();
                assertThat(w.path("failCount").asInt()).isZero();
                assertThat(w.path("currentRetries").asInt()).isZero();
                assertThat(w.path("state").asText()).isEqualTo("active");
            }
            assertThat(target.hits()).as("redirect followed").isEmpty();

            // nobody listening at all
            int port;
            try (Receiver gone = new Receiver()) {
                port = Integer.parseInt(gone.url().replaceAll(".*:(\\d+)/.*", "$1"));
            }
            String url = "http://127.0.0.1:" + port + "/gone";
            String id = hooks.createWebhook(a, url);
            ApiClient.Reply t = api.post(a.path("/webhooks/" + id + "/test"), a.appToken(), null);
            assertThat(t.errorId()).isEqualTo("unknown-referenced-resource");
            assertThat(t.body().path("error").path("data").path("url").asText()).isEqualTo(url);
        }
    }

    @Test
    void testIgnoresTheInactiveState() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.setState(a, a.appToken(), id, "inactive");
            ApiClient.Reply t = api.post(a.path("/webhooks/" + id + "/test"), a.appToken(), null);
            assertThat(t.status()).as(t.body().toString()).isEqualTo(200);
            assertThat(t.body().path("webhook").path("state").asText()).isEqualTo("inactive");
            assertThat(r.await(1, T).get(0).messages()).containsExactly("test");
            assertThat(hooks.webhook(a, id).path("state").asText()).isEqualTo("inactive");
        }
    }

    @Test
    void testThroughABatchCall() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            ApiClient.Reply b = api.post(a.path("/"), a.appToken(),
                    List.of(Map.of("method", "webhooks.test", "params", Map.of("id", id))));
            assertThat(b.status()).isEqualTo(200);
            Hooks.assertAllFields(b.body().path("results").get(0).path("webhook"));
            assertThat(r.await(1, T).get(0).messages()).containsExactly("test");
        }
    }

    @Test
    void pryvsFieldsOnEveryRead() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            ApiClient.Reply created = api.post(a.path("/webhooks"), a.appToken(), Map.of("url", r.url()));
            assertThat(created.status()).isEqualTo(201);
            JsonNode w = created.body().path("webhook");
            Hooks.assertAllFields(w);
            String id = w.path("id").asText();
            assertThat(w.path("accessId").asText()).isEqualTo(a.appId());
            assertThat(w.path("url").asText()).isEqualTo(r.url());
            // A plain http webhook is shown with exactly Pryv's fields.
            assertThat(w.has("type") || w.has("settings")).isFalse();
            assertThat(w.path("minIntervalMs").asLong()).isEqualTo(100);
            assertThat(w.path("maxRetries").asInt()).isEqualTo(5);
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(w.path("state").asText()).isEqualTo("active");
            assertThat(w.path("runCount").asInt()).isZero();
            assertThat(w.path("failCount").asInt()).isZero();
            assertThat(w.path("lastRun").path("status").asInt()).isZero();
            assertThat(w.path("lastRun").path("timestamp").asDouble()).isZero();
            assertThat(w.path("runs")).isEmpty();
            assertThat(w.path("createdBy").asText()).isEqualTo(a.appId());
            assertThat(w.path("modifiedBy").asText()).isEqualTo(a.appId());
            assertThat(w.path("created").asDouble()).isGreaterThan(1.7e9).isLessThan(1e11); // seconds, not ms

            ApiClient.Reply list = api.get(a.path("/webhooks"), a.appToken());
            assertThat(list.body().path("webhooks")).hasSize(1);
            Hooks.assertAllFields(list.body().path("webhooks").get(0));
            Hooks.assertAllFields(hooks.webhook(a, id));
            Hooks.assertAllFields(hooks.webhook(a, a.personal(), id));
            JsonNode updated = hooks.setState(a, a.personal(), id, "inactive");
            assertThat(updated.path("modifiedBy").asText()).isNotEqualTo(a.appId());
            assertThat(updated.path("modified").asDouble()).isGreaterThanOrEqualTo(w.path("modified").asDouble());
            hooks.setState(a, a.appToken(), id, "active");
            hooks.createEvent(a);
            JsonNode afterRun = hooks.awaitRuns(a, id, 1, T);
            JsonNode run = afterRun.path("runs").get(0);
            assertThat(run.path("status").asInt()).isEqualTo(200);
            assertThat(run.path("timestamp").asDouble()).isEqualTo(afterRun.path("lastRun").path("timestamp").asDouble());
            ApiClient.Reply batch = api.post(a.path("/"), a.appToken(), List.of(
                    Map.of("method", "webhooks.get", "params", Map.of()),
                    Map.of("method", "webhooks.getOne", "params", Map.of("id", id))));
            Hooks.assertAllFields(batch.body().path("results").get(0).path("webhooks").get(0));
            Hooks.assertAllFields(batch.body().path("results").get(1).path("webhook"));
        }
    }
}
