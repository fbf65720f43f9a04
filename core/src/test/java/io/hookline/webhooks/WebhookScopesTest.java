package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.edge.TimestampFormatTest;
import io.hookline.storage.Change;
import io.hookline.storage.Touch;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Scoped webhooks (Pryv v2), create-time minIntervalMs and maxRetries, and Pryv's plain webhook shape. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookScopesTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalMs", "100",
            "webhooks.minIntervalFloorMs", "50", "webhooks.maxRetriesLimit", "8");
    static final Duration T = Duration.ofSeconds(10);
    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    private static Map<String, Object> scope(String kind, Map<String, Object> query) {
        return Map.of("kind", kind, "query", query);
    }

    /** The account of {@link Hooks#account()} plus streams {@code walk} (under {@code count}) and {@code sleep}. */
    private Hooks.Account accountWithStreams() {
        Hooks.Account a = hooks.account();
        ok(api.post(a.path("/streams"), a.personal(), Map.of("id", "walk", "name", "Walk", "parentId", "count")), 201);
        ok(api.post(a.path("/streams"), a.personal(), Map.of("id", "sleep", "name", "Sleep")), 201);
        ok(api.post(a.path("/streams"), a.personal(), Map.of("id", "other", "name", "Other")), 201);
        return a;
    }

    private void event(Hooks.Account a, List<String> streams, String type) {
        ok(api.post(a.path("/events"), a.appToken(), Map.of("streamIds", streams, "type", type, "content", 1)), 201);
    }

    private String scoped(Hooks.Account a, String token, String url, Map<String, Object> scopes) {
        ApiClient.Reply r = ok(api.post(a.path("/webhooks"), token, Map.of("url", url, "scopes", scopes)), 201);
        Hooks.assertAllFields(r.body().get("webhook"));
        return r.body().get("webhook").get("id").asText();
    }

    @Test
    void aScopedWebhookIsToldOnlyOfMatchingChangesByKey() throws Exception {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = accountWithStreams();
            String id = scoped(a, a.appToken(), r.url(), Map.of(
                    "stepsChanged", scope("events", Map.of("streams", List.of("count"), "types", List.of("count/*"))),
                    "sleepChanged", scope("events", Map.of("streams", List.of("sleep"))),
                    "treeChanged", Map.of("kind", "streams")));
            assertThat(hooks.webhook(a, id).get("scopes").get("sleepChanged").get("query").get("streams").get(0)
                    .asText()).isEqualTo("sleep");

            // Outside every scope (another stream; the right stream with another type): nothing. Then inside.
            event(a, List.of("other"), "count/steps");
            event(a, List.of("count"), "note/txt");
            event(a, List.of("walk"), "count/steps");
            Receiver.Hit first = r.await(1, T).get(0);
            assertThat(first.messages()).as("a change in a descendant of the scope's stream")
                    .containsExactly("stepsChanged");
            TimestampFormatTest.assertPlainTimes(new String(first.body(), StandardCharsets.UTF_8));
            hooks.awaitRuns(a, id, 1, T);

            // One change matching two scopes: both keys, in the order of the scopes.
            event(a, List.of("sleep", "count"), "count/steps");
            assertThat(r.await(2, T).get(1).messages()).containsExactlyInAnyOrder("stepsChanged", "sleepChanged");
            hooks.awaitRuns(a, id, 2, T);

            ok(api.put(a.path("/streams/other"), a.personal(), Map.of("name", "Others")), 200);
            assertThat(r.await(3, T).get(2).messages()).containsExactly("treeChanged");
            JsonNode w = hooks.awaitRuns(a, id, 3, T);
            assertThat(w.get("failCount").asInt()).isZero();
            assertThat(r.hits()).hasSize(3);
            assertPlainStoredRuns(id);
        }
    }

    /**
     * A write transaction may hold several users' writes (the writers group them): the outbox asks once for all of
     * them, and each user's changes are matched against that user's webhooks, with that user's streams.
     */
    @Test
    void oneCallMatchesEachUsersChangesAgainstThatUsersScopedWebhooksOnly() {
        Hooks.Account a = accountWithStreams(); // "walk" is under "count"
        Hooks.Account b = hooks.account(); // no "walk"
        Hooks.Account c = hooks.account();
        Map<String, Object> onCount = Map.of("countChanged", scope("events", Map.of("streams", List.of("count"))));
        String aHook = scoped(a, a.appToken(), "http://127.0.0.1:9/a", onCount);
        String bHook = scoped(b, b.appToken(), "http://127.0.0.1:9/b", onCount);
        String bStreams = scoped(b, b.appToken(), "http://127.0.0.1:9/b2", Map.of("treeChanged",
                Map.of("kind", "streams")));
        scoped(c, c.appToken(), "http://127.0.0.1:9/c", onCount);

        Jdbi db = Jdbi.create(TestDatabases.jdbcUrl(APP.getConfiguration().getDatabase()));
        Map<String, List<String>> keys = db.withHandle(h -> {
            Map<Long, List<Touch>> touched = new LinkedHashMap<>();
            Touch inWalk = new Touch(Change.EVENTS, List.of("walk"), "count/steps");
            touched.put(userId(h, a), List.of(inWalk));
            touched.put(userId(h, b), List.of(inWalk, new Touch(Change.STREAMS, List.of("sleep"), null)));
            touched.put(userId(h, c), List.of()); // c's writes touched nothing its scopes look at
            return new WebhookScopes().keysByWebhook(h, touched, System.currentTimeMillis() * 1000);
        });
        assertThat(keys).as("a's walk is in a's count; b has no walk under count; c touched nothing")
                .containsOnly(Map.entry(aHook, List.of("countChanged")), Map.entry(bStreams, List.of("treeChanged")))
                .doesNotContainKey(bHook);
    }

    private static long userId(Handle h, Hooks.Account a) {
        return h.createQuery("SELECT id FROM users WHERE username = :name").bind("name", a.name())
                .mapTo(Long.class).one();
    }

    /** The runs kept in the database are written with plain-decimal timestamps too. */
    private static void assertPlainStoredRuns(String webhookId) throws Exception {
        String url = TestDatabases.jdbcUrl(APP.getConfiguration().getDatabase());
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement s = c.prepareStatement("SELECT runs FROM webhooks WHERE id = ?")) {
            s.setString(1, webhookId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                TimestampFormatTest.assertPlainTimes(rs.getString(1));
            }
        }
    }

    @Test
    void reactivationAndClearingScopesWorkAsForOtherWebhooks() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = accountWithStreams();
            String id = scoped(a, a.appToken(), r.url(),
                    Map.of("sleepChanged", scope("events", Map.of("streams", List.of("sleep")))));
            hooks.setState(a, a.appToken(), id, "inactive");
            event(a, List.of("sleep"), "note/txt");
            // The key matched while it was inactive is delivered once it is active again.
            hooks.setState(a, a.appToken(), id, "active");
            assertThat(r.await(1, T).get(0).messages()).containsExactly("sleepChanged");
            hooks.awaitRuns(a, id, 1, T);
            event(a, List.of("sleep"), "note/txt");
            assertThat(r.await(2, T).get(1).messages()).containsExactly("sleepChanged");
            hooks.awaitRuns(a, id, 2, T);

            // scopes: null makes it a webhook of every change again.
            JsonNode cleared = ok(api.put(a.path("/webhooks/" + id), a.appToken(),
                    ApiClient.json("{'scopes': null}")), 200).body().get("webhook");
            assertThat(cleared.has("scopes")).isFalse();
            event(a, List.of("other"), "note/txt");
            assertThat(r.await(3, T).get(2).messages()).containsExactly("eventsChanged");
        }
    }

    @Test
    void changedScopesApplyFromTheNextChange() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = accountWithStreams();
            String id = scoped(a, a.appToken(), r.url(),
                    Map.of("sleepChanged", scope("events", Map.of("streams", List.of("sleep")))));
            event(a, List.of("sleep"), "note/txt");
            assertThat(r.await(1, T).get(0).messages()).containsExactly("sleepChanged");
            hooks.awaitRuns(a, id, 1, T);

            ok(api.put(a.path("/webhooks/" + id), a.appToken(),
                    Map.of("scopes", Map.of("walkChanged", scope("events", Map.of("streams", List.of("walk")))))), 200);
            event(a, List.of("sleep"), "note/txt"); // matched the old scopes only
            event(a, List.of("walk"), "note/txt");
            assertThat(r.await(2, T).get(1).messages()).containsExactly("walkChanged");
            hooks.awaitRuns(a, id, 2, T);
            assertThat(r.hits()).hasSize(2);
        }
    }

    @Test
    void aScopeOnAStreamTheAccessCannotReadIsRefused() {
        Hooks.Account a = accountWithStreams();
        String countReader = api.createAccess(a.user(), a.personal(), Map.of("type", "app", "name", "count-reader",
                "permissions", List.of(Map.of("streamId", "count", "level", "read")))).get("token").asText();
        Map<String, Object> onSleep = Map.of("s", scope("events", Map.of("streams", List.of("sleep"))));
        error(api.post(a.path("/webhooks"), countReader, Map.of("url", "http://127.0.0.1:9/a", "scopes", onSleep)),
                403, "forbidden");
        error(api.post(a.path("/webhooks"), countReader, Map.of("url", "http://127.0.0.1:9/a",
                "scopes", Map.of("s", Map.of("kind", "streams", "query", Map.of("streams", List.of("sleep")))))),
                403, "forbidden");
        // Its own stream and a descendant are fine; then an update may not widen it.
        String id = scoped(a, countReader, "http://127.0.0.1:9/a",
                Map.of("walk", scope("events", Map.of("streams", List.of("walk")))));
        error(api.put(a.path("/webhooks/" + id), countReader, Map.of("scopes", onSleep)), 403, "forbidden");
        // Checked against the webhook's own access even when a personal access updates it.
        error(api.put(a.path("/webhooks/" + id), a.personal(), Map.of("scopes", onSleep)), 403, "forbidden");
        assertThat(hooks.webhook(a, countReader, id).get("scopes").has("walk")).isTrue();
        error(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/b", "scopes",
                Map.of("s", scope("events", Map.of("streams", List.of("nowhere")))))), 400,
                "unknown-referenced-resource");
    }

    @Test
    void badScopesAre400() {
        Hooks.Account a = accountWithStreams();
        List<Object> bad = List.of(
                "steps", List.of(), Map.of(),
                Map.of("s", "events"),
                Map.of("s", Map.of("kind", "photos")),
                Map.of("s", Map.of("query", Map.of())),
                Map.of("test", Map.of("kind", "events")),
                Map.of("has space", Map.of("kind", "events")),
                Map.of("s", Map.of("kind", "events", "colour", "red")),
                Map.of("s", scope("events", Map.of("fromTime", 0))),
                Map.of("s", scope("streams", Map.of("types", List.of("count/steps")))),
                Map.of("s", scope("events", Map.of("types", List.of("Not A Type")))),
                Map.of("s", scope("events", Map.of("streams", "count"))),
                Map.of("s", scope("events", Map.of("streams", List.of(1)))));
        for (Object scopes : bad) {
            error(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/x", "scopes", scopes)),
                    400, "invalid-parameters-format");
        }
        assertThat(ok(api.get(a.path("/webhooks"), a.appToken()), 200).body().get("webhooks")).isEmpty();
    }

    @Test
    void minIntervalAndMaxRetriesMayBeSetAtCreationWithinBounds() {
        Hooks.Account a = hooks.account();
        JsonNode w = ok(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/c",
                "minIntervalMs", 60_000, "maxRetries", 8)), 201).body().get("webhook");
        assertThat(w.get("minIntervalMs").asLong()).isEqualTo(60_000);
        assertThat(w.get("maxRetries").asInt()).isEqualTo(8);
        Hooks.assertAllFields(w);
        assertThat(w.has("type")).isFalse();
        JsonNode low = error(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/d",
                "minIntervalMs", 49)), 400, "invalid-parameters-format").body();
        assertThat(low.toString()).contains("minIntervalMs").contains("50");
        JsonNode high = error(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/d",
                "maxRetries", 9)), 400, "invalid-parameters-format").body();
        assertThat(high.toString()).contains("maxRetries").contains("8");
        error(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/d",
                "minIntervalMs", "fast")), 400, "invalid-parameters-format");
        // Still not changeable afterwards, as in Pryv.
        error(api.put(a.path("/webhooks/" + w.get("id").asText()), a.appToken(), Map.of("maxRetries", 3)), 403,
                "forbidden");
    }

    @Test
    void anotherNotifierShowsItsTypeAndSettings() {
        Hooks.Account a = hooks.account();
        JsonNode w = ok(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", "http://127.0.0.1:9/e",
                "type", "signed-http")), 201).body().get("webhook");
        Hooks.assertAllFields(w);
        assertThat(w.get("type").asText()).isEqualTo("signed-http");
        assertThat(w.get("settings").isObject()).isTrue();
    }
}
