package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what with a webhook, for every method, every access type, over REST and in batch calls: a personal
 * access sees and manages all but cannot create; app and shared accesses create and see or manage only their own.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookOwnershipTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalMs", "100");
    static final Receiver RECEIVER = new Receiver();

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    @AfterAll
    static void close() {
        RECEIVER.close();
    }

    enum Transport { REST, BATCH }

    /** One method call's outcome: the HTTP status (for a batch call, the status its error id stands for) and body. */
    record Result(int status, String errorId, JsonNode body) {
    }

    private static final Map<String, Integer> STATUS_OF = Map.of("forbidden", 403, "unknown-resource", 404,
            "invalid-parameters-format", 400, "item-already-exists", 409, "unknown-referenced-resource", 400,
            "invalid-request-structure", 400, "invalid-access-token", 403);

    private Result call(Transport t, Hooks.Account a, String token, String method, Map<String, Object> params) {
        if (t == Transport.BATCH) {
            ApiClient.Reply r = api.post(a.path("/"), token, List.of(Map.of("method", method, "params", params)));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            JsonNode result = r.body().path("results").get(0);
            String error = result.path("error").path("id").asText(null);
            int status = error == null ? (method.equals("webhooks.create") ? 201 : 200) : STATUS_OF.get(error);
            return new Result(status, error, result);
        }
        String id = (String) params.get("id");
        ApiClient.Reply r = switch (method) {
            case "webhooks.get" -> api.get(a.path("/webhooks"), token);
            case "webhooks.getOne" -> api.get(a.path("/webhooks/" + id), token);
            case "webhooks.create" -> api.post(a.path("/webhooks"), token, params);
            case "webhooks.update" -> api.put(a.path("/webhooks/" + id), token, params.get("update"));
            case "webhooks.delete" -> api.delete(a.path("/webhooks/" + id), token);
            case "webhooks.test" -> api.post(a.path("/webhooks/" + id + "/test"), token, null);
            default -> throw new IllegalArgumentException(method);
        };
        return new Result(r.status(), r.errorId(), r.body());
    }

    private static void assertOk(Result r, int status) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.errorId()).isNull();
    }

    private static void assertError(Result r, int status, String errorId) {
        assertThat(r.errorId()).as(r.body().toString()).isEqualTo(errorId);
        assertThat(r.status()).isEqualTo(status);
    }

    /** A user with two apps, a shared access created by the first app and one created by the personal access. */
    private final class World {
        final Hooks.Account a = hooks.account();
        final String personal = a.personal();
        final String app1 = a.appToken();
        final JsonNode app2Access = hooks.access(a, personal, "app", "other-app");
        final String app2 = app2Access.path("token").asText();
        final JsonNode shared1Access = hooks.access(a, app1, "shared", "coach");
        final String shared1 = shared1Access.path("token").asText();
        final JsonNode shared2Access = hooks.access(a, personal, "shared", "family");
        final String shared2 = shared2Access.path("token").asText();
        final Map<String, String> tokens = new LinkedHashMap<>();
        final Map<String, String> accessIds = new HashMap<>();

        World() {
            tokens.put("app1", app1);
            tokens.put("app2", app2);
            tokens.put("shared1", shared1);
            tokens.put("shared2", shared2);
            accessIds.put("app1", a.appId());
            accessIds.put("app2", app2Access.path("id").asText());
            accessIds.put("shared1", shared1Access.path("id").asText());
            accessIds.put("shared2", shared2Access.path("id").asText());
        }

        /** One webhook per non-personal access, created through {@code t}; by owner name. */
        Map<String, String> webhooks(Transport t, String path) {
            Map<String, String> out = new LinkedHashMap<>();
            tokens.forEach((owner, token) -> {
                Result r = call(t, a, token, "webhooks.create", Map.of("url", RECEIVER.url("/" + path + "/" + owner)));
                assertOk(r, 201);
                JsonNode w = r.body().path("webhook");
                Hooks.assertAllFields(w);
                assertThat(w.path("accessId").asText()).isEqualTo(accessIds.get(owner));
                out.put(owner, w.path("id").asText());
            });
            return out;
        }
    }

    private static Set<String> ids(Result r) {
        Set<String> out = new TreeSet<>();
        r.body().path("webhooks").forEach(w -> {
            Hooks.assertAllFields(w);
            out.add(w.path("id").asText());
        });
        return out;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void createPersonalIsForbiddenAppAndSharedMay(Transport t) {
        World w = new World();
        assertError(call(t, w.a, w.personal, "webhooks.create", Map.of("url", RECEIVER.url("/p"))), 403, "forbidden");
        w.webhooks(t, "create"); // app1, app2, shared1, shared2: 201 each
        assertThat(ids(call(t, w.a, w.personal, "webhooks.get", Map.of()))).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void getShowsPersonalAllAndOthersOnlyTheirOwn(Transport t) {
        World w = new World();
        Map<String, String> hooksByOwner = w.webhooks(t, "get");
        assertThat(ids(call(t, w.a, w.personal, "webhooks.get", Map.of())))
                .containsExactlyInAnyOrderElementsOf(hooksByOwner.values());
        w.tokens.forEach((owner, token) -> assertThat(ids(call(t, w.a, token, "webhooks.get", Map.of())))
                .as("webhooks.get by " + owner).containsExactly(hooksByOwner.get(owner)));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void getOneUpdateAndTestByOwnerOrPersonalOnly(Transport t) {
        World w = new World();
        Map<String, String> hooksByOwner = w.webhooks(t, "one");
        for (Map.Entry<String, String> target : hooksByOwner.entrySet()) {
            String id = target.getValue();
            for (Map.Entry<String, String> caller : w.tokens.entrySet()) {
                boolean own = caller.getKey().equals(target.getKey());
                String what = caller.getKey() + " on the webhook of " + target.getKey();
                Result get = call(t, w.a, caller.getValue(), "webhooks.getOne", Map.of("id", id));
                Result update = call(t, w.a, caller.getValue(), "webhooks.update",
                        Map.of("id", id, "update", Map.of("state", "active")));
                Result test = call(t, w.a, caller.getValue(), "webhooks.test", Map.of("id", id));
                if (own) {
                    assertOk(get, 200);
                    Hooks.assertAllFields(get.body().path("webhook"));
                    assertOk(update, 200);
                    Hooks.assertAllFields(update.body().path("webhook"));
                    assertOk(test, 200);
                    Hooks.assertAllFields(test.body().path("webhook"));
                } else {
                    assertThat(get.errorId()).as(what).isEqualTo("forbidden");
                    assertError(get, 403, "forbidden");
                    assertError(update, 403, "forbidden");
                    assertError(test, 403, "forbidden");
                }
            }
            assertOk(call(t, w.a, w.personal, "webhooks.getOne", Map.of("id", id)), 200);
            Result off = call(t, w.a, w.personal, "webhooks.update",
                    Map.of("id", id, "update", Map.of("state", "inactive")));
            assertOk(off, 200);
            assertThat(off.body().path("webhook").path("state").asText()).isEqualTo("inactive");
            assertOk(call(t, w.a, w.personal, "webhooks.test", Map.of("id", id)), 200);
        }
        // the forbidden updates changed nothing: only the personal access's deactivations show
        call(t, w.a, w.personal, "webhooks.get", Map.of()).body().path("webhooks")
                .forEach(x -> assertThat(x.path("state").asText()).isEqualTo("inactive"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deleteByOwnerOrPersonalOnly(Transport t) {
        World w = new World();
        Map<String, String> hooksByOwner = w.webhooks(t, "delete");
        for (Map.Entry<String, String> caller : w.tokens.entrySet()) {
            for (Map.Entry<String, String> target : hooksByOwner.entrySet()) {
                if (target.getKey().equals(caller.getKey())) continue;
                assertError(call(t, w.a, caller.getValue(), "webhooks.delete", Map.of("id", target.getValue())),
                        403, "forbidden");
            }
        }
        assertThat(ids(call(t, w.a, w.personal, "webhooks.get", Map.of()))).hasSize(4);

        Result own = call(t, w.a, w.app1, "webhooks.delete", Map.of("id", hooksByOwner.get("app1")));
        assertOk(own, 200);
        assertThat(own.body().path("webhookDeletion").path("id").asText()).isEqualTo(hooksByOwner.get("app1"));
        assertThat(own.body().path("webhookDeletion").path("deleted").isNumber()).isTrue();
        Result byPersonal = call(t, w.a, w.personal, "webhooks.delete", Map.of("id", hooksByOwner.get("shared1")));
        assertOk(byPersonal, 200);
        assertError(call(t, w.a, w.app1, "webhooks.getOne", Map.of("id", hooksByOwner.get("app1"))), 404,
                "unknown-resource");
        assertError(call(t, w.a, w.personal, "webhooks.getOne", Map.of("id", hooksByOwner.get("shared1"))), 404,
                "unknown-resource");
        assertThat(ids(call(t, w.a, w.personal, "webhooks.get", Map.of())))
                .containsExactlyInAnyOrder(hooksByOwner.get("app2"), hooksByOwner.get("shared2"));
        // the url is free again for its access
        assertOk(call(t, w.a, w.app1, "webhooks.create", Map.of("url", RECEIVER.url("/delete/app1"))), 201);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownIdsAreUnknownResourceForEveryAccess(Transport t) {
        World w = new World();
        List<String> all = new ArrayList<>(w.tokens.values());
        all.add(w.personal);
        for (String token : all) {
            for (String method : List.of("webhooks.getOne", "webhooks.delete", "webhooks.test")) {
                assertError(call(t, w.a, token, method, Map.of("id", "cnonexistent00000000000000")), 404,
                        "unknown-resource");
            }
            assertError(call(t, w.a, token, "webhooks.update", Map.of("id", "cnonexistent00000000000000",
                    "update", Map.of("state", "inactive"))), 404, "unknown-resource");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anotherUsersWebhookIsUnknownHere(Transport t) {
        World mine = new World();
        World theirs = new World();
        String id = theirs.webhooks(t, "theirs").get("app1");
        for (String token : List.of(mine.personal, mine.app1, mine.shared1)) {
            assertError(call(t, mine.a, token, "webhooks.getOne", Map.of("id", id)), 404, "unknown-resource");
            assertError(call(t, mine.a, token, "webhooks.update",
                    Map.of("id", id, "update", Map.of("state", "inactive"))), 404, "unknown-resource");
            assertError(call(t, mine.a, token, "webhooks.test", Map.of("id", id)), 404, "unknown-resource");
            assertError(call(t, mine.a, token, "webhooks.delete", Map.of("id", id)), 404, "unknown-resource");
        }
        assertThat(ids(call(t, mine.a, mine.personal, "webhooks.get", Map.of()))).isEmpty();
        assertThat(ids(call(t, theirs.a, theirs.personal, "webhooks.get", Map.of()))).contains(id);
        assertThat(hooks.webhook(theirs.a, id).path("state").asText()).isEqualTo("active");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deletingAnAppAccessDeletesItsWebhooksAndThoseOfTheSharedAccessesItCreated(Transport t) {
        World w = new World();
        Map<String, String> hooksByOwner = w.webhooks(t, "cascade");
        ApiClient.Reply del = api.delete(w.a.path("/accesses/" + w.accessIds.get("app1")), w.personal);
        assertThat(del.status()).as(del.body().toString()).isEqualTo(200);
        assertThat(ids(call(t, w.a, w.personal, "webhooks.get", Map.of())))
                .containsExactlyInAnyOrder(hooksByOwner.get("app2"), hooksByOwner.get("shared2"));
        assertError(call(t, w.a, w.personal, "webhooks.getOne", Map.of("id", hooksByOwner.get("app1"))), 404,
                "unknown-resource");
        assertError(call(t, w.a, w.personal, "webhooks.getOne", Map.of("id", hooksByOwner.get("shared1"))), 404,
                "unknown-resource");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAppDeletingItsSharedAccessDeletesThatAccessesWebhooksOnly(Transport t) {
        World w = new World();
        Map<String, String> hooksByOwner = w.webhooks(t, "cascade2");
        ApiClient.Reply del = api.delete(w.a.path("/accesses/" + w.accessIds.get("shared1")), w.app1);
        assertThat(del.status()).as(del.body().toString()).isEqualTo(200);
        assertThat(ids(call(t, w.a, w.personal, "webhooks.get", Map.of()))).containsExactlyInAnyOrder(
                hooksByOwner.get("app1"), hooksByOwner.get("app2"), hooksByOwner.get("shared2"));
        assertThat(ids(call(t, w.a, w.app1, "webhooks.get", Map.of()))).containsExactly(hooksByOwner.get("app1"));
    }

    @org.junit.jupiter.api.Test
    void anExpiredAccessesWebhooksStopButAreKeptUntilTheAccessIsDeleted() {
        try (Receiver expiring = new Receiver(); Receiver witness = new Receiver()) {
            Hooks.Account a = hooks.account();
            JsonNode shortLived = api.createAccess(a.user(), a.user().token(), Map.of("type", "app", "name", "brief",
                    "permissions", List.of(Map.of("streamId", "*", "level", "read")), "expireAfter", 2));
            String shortToken = shortLived.path("token").asText();
            String hook = hooks.createWebhook(a, shortToken, expiring.url());
            hooks.createWebhook(a, witness.url());

            Wait.until(() -> api.get(a.path("/access-info"), shortToken).status() == 403, Duration.ofSeconds(15),
                    "the access to expire");
            hooks.createEvent(a);
            hooks.createEvent(a);
            // The witness of the same account is notified of the change; the expired access's webhook is not.
            witness.await(1, Duration.ofSeconds(15));
            JsonNode kept = hooks.webhook(a, a.user().token(), hook);
            assertThat(kept.path("state").asText()).isEqualTo("active");
            assertThat(kept.path("runCount").asInt()).isZero();
            assertThat(expiring.hits()).isEmpty();

            // Deleting the expired access deletes its webhooks, as for any access.
            String shortId = shortLived.path("id").asText();
            assertThat(api.delete(a.path("/accesses/" + shortId), a.user().token()).status()).isEqualTo(200);
            assertThat(api.get(a.path("/webhooks/" + hook), a.user().token()).status()).isEqualTo(404);
            assertThat(expiring.hits()).isEmpty();
        }
    }
}
