package io.hookline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.Reply;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code limits.maxResponseBytes}: every answer that grows with stored data (events, the streams tree, accesses,
 * webhooks with their runs, a batch's results together) is refused with 413 {@code too-many-results} past it,
 * and a smaller question still gets its answer.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AnswerSizeTest {
    static final int MAX_ANSWER = 64 * 1024;
    static final int BIG = 20 * 1024;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "limits.maxResponseBytes", MAX_ANSWER + " bytes");
    final ApiClient api = TestApps.client(APP);

    private static void tooMany(Reply r) {
        error(r, 413, "too-many-results");
        assertThat(r.body().path("error").path("data").path("maxResponseBytes").asLong()).isEqualTo(MAX_ANSWER);
    }

    private User userWithBigEvents(String prefix, int count) {
        User u = api.newUser(prefix);
        ok(api.post(u.path("/streams"), u.token(), Map.of("id", "s", "name", "s")), 201);
        for (int i = 0; i < count; i++) {
            ok(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of("s"), "type", "note/txt",
                    "content", "x".repeat(BIG))), 201);
        }
        return u;
    }

    @Test
    void eventsPastTheAnswerLimitAre413AndSmallerPagesAnswer() {
        User u = userWithBigEvents("bigevents", 5);
        tooMany(api.get(u.path("/events?limit=10"), u.token()));
        tooMany(api.get(u.path("/events?limit=0&fromTime=0"), u.token()));
        JsonNode page = ok(api.get(u.path("/events?limit=2"), u.token()), 200).body().get("events");
        assertThat(page).hasSize(2);
        assertThat(page.get(0).get("content").asText()).hasSize(BIG);
    }

    @Test
    void aBatchIsBoundedAsAWhole() {
        User u = userWithBigEvents("bigbatch", 2);
        List<Map<String, Object>> calls = new ArrayList<>();
        calls.add(Map.of("method", "events.create", "params", Map.of("streamIds", List.of("s"), "type", "note/txt",
                "content", "small")));
        for (int i = 0; i < 10; i++) calls.add(Map.of("method", "events.get", "params", Map.of("limit", 2)));
        calls.add(Map.of("method", "streams.get", "params", Map.of()));
        JsonNode results = ok(api.post(u.path("/"), u.token(), calls), 200).body().get("results");
        assertThat(results).hasSize(12);
        assertThat(results.get(0).has("event")).isTrue();
        int answered = 0;
        int refused = 0;
        for (int i = 1; i <= 10; i++) {
            if (results.get(i).has("events")) {
                answered++;
            } else {
                assertThat(results.get(i).path("error").path("id").asText()).isEqualTo("too-many-results");
                refused++;
            }
        }
        // Each answered call holds one or two events of 20 KiB: only the first ones fit in 64 KiB together.
        assertThat(answered).isBetween(1, 3);
        assertThat(refused).isEqualTo(10 - answered);
        // Once the answer is full, the remaining calls are not run.
        assertThat(results.get(11).path("error").path("id").asText()).isEqualTo("too-many-results");
        // The batch's own write was kept.
        assertThat(ok(api.get(u.path("/events?limit=1"), u.token()), 200).body().get("events").get(0)
                .get("content").asText()).isEqualTo("small");
    }

    @Test
    void streamsAccessesAndWebhooksPastTheLimitAre413() {
        User u = api.newUser("bigothers");
        for (int i = 0; i < 4; i++) {
            ok(api.post(u.path("/streams"), u.token(), Map.of("id", "s" + i, "name", "s" + i,
                    "clientData", Map.of("blob", "x".repeat(BIG)))), 201);
            ok(api.post(u.path("/accesses"), u.token(), Map.of("type", "shared", "name", "a" + i,
                    "permissions", List.of(Map.of("streamId", "s0", "level", "read")),
                    "clientData", Map.of("blob", "x".repeat(BIG)))), 201);
        }
        tooMany(api.get(u.path("/streams"), u.token()));
        tooMany(api.get(u.path("/accesses"), u.token()));

        String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "hooks",
                "permissions", List.of(Map.of("streamId", "*", "level", "read")))).get("token").asText();
        // Webhooks of the log notifier take any label as url: long ones fill an answer quickly.
        for (int i = 0; i < 40; i++) {
            ok(api.post(u.path("/webhooks"), app, Map.of("type", "log",
                    "url", "label-" + i + "-" + "x".repeat(2000))), 201);
        }
        tooMany(api.get(u.path("/webhooks"), app));
        tooMany(api.get(u.path("/webhooks"), u.token()));
        // What one item is, is still answered.
        ok(api.get(u.path("/access-info"), u.token()), 200);
    }
}
