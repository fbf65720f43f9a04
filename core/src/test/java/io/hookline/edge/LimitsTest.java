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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The configured limits: body size (413 request-too-large), result size (413 too-many-results), batch size. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LimitsTest {
    static final int MAX_BODY = 1024;
    static final int MAX_RESULTS = 30;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "limits.maxRequestBody", MAX_BODY + " bytes",
            "limits.maxResults", Integer.toString(MAX_RESULTS),
            "limits.maxBatchCalls", "3");
    final ApiClient api = TestApps.client(APP);


    /** An events.create body of exactly {@code size} bytes. */
    private static String eventBody(int size) {
        return EVENT_HEAD + "x".repeat(size - EVENT_HEAD.length() - EVENT_TAIL.length()) + EVENT_TAIL;
    }

    private static final String EVENT_HEAD = "{\"streamIds\":[\"s\"],\"type\":\"note/txt\",\"content\":\"";
    private static final String EVENT_TAIL = "\"}";

    private List<String> eventIds(User u) {
        return ids(ok(api.get(u.path("/events?state=all&limit=" + MAX_RESULTS), u.token()), 200).body()
                .get("events"));
    }

    @Test
    void bodiesOverTheLimitAre413AndChangeNothing() {
        User u = api.newUser("big");
        ok(api.post(u.path("/streams"), u.token(), Map.of("id", "s", "name", "s")), 201);
        assertThat(eventBody(MAX_BODY).getBytes(StandardCharsets.UTF_8)).hasSize(MAX_BODY);
        String atLimit = ok(api.post(u.path("/events"), u.token(), eventBody(MAX_BODY)), 201).body().get("event")
                .get("id").asText();

        error(api.post(u.path("/events"), u.token(), eventBody(MAX_BODY + 1)), 413, "request-too-large");
        error(api.post(u.path("/events"), u.token(), eventBody(64 * 1024)), 413, "request-too-large");
        error(api.put(u.path("/events/" + atLimit), u.token(), eventBody(MAX_BODY + 1)), 413, "request-too-large");
        error(api.put(u.path("/streams/s"), u.token(), "{\"name\":\"" + "n".repeat(MAX_BODY) + "\"}"), 413,
                "request-too-large");
        error(api.post(u.path("/streams"), u.token(), "{\"name\":\"" + "n".repeat(MAX_BODY) + "\"}"), 413,
                "request-too-large");
        error(api.post(u.path("/accesses"), u.token(), "{\"name\":\"" + "n".repeat(MAX_BODY) + "\"}"), 413,
                "request-too-large");
        error(api.post(u.path("/"), u.token(), "[" + eventBody(MAX_BODY) + "]"), 413, "request-too-large");
        error(api.post("/system/create-user", TestApps.ADMIN_KEY,
                "{\"username\":\"" + "n".repeat(MAX_BODY) + "\"}"), 413, "request-too-large");
        error(api.post(u.path("/auth/login"), null, "{\"username\":\"" + "n".repeat(MAX_BODY) + "\"}"), 413,
                "request-too-large");

        assertThat(eventIds(u)).containsExactly(atLimit);
        JsonNode event = ok(api.get(u.path("/events/" + atLimit), u.token()), 200).body().get("event");
        assertThat(event.get("content").asText()).hasSize(MAX_BODY - EVENT_HEAD.length() - EVENT_TAIL.length());
        assertThat(ok(api.get(u.path("/streams"), u.token()), 200).body().get("streams")).hasSize(1);
    }

    /**
     * A body far larger than the limit, sent where no resource is, with a method a resource refuses or the server does
     * not know, to an odd or ambiguous path, or without credentials: the client reads the JSON error, not a connection
     * reset, whichever answer comes first.
     */
    @Test
    void aLargeBodyAnywhereGetsItsJsonErrorNotAReset() {
        User u = api.newUser("huge");
        String huge = "{\"content\":\"" + "x".repeat(8 * 1024 * 1024) + "\"}";
        error(api.post("/no/such/resource/here", u.token(), huge), 404, "unknown-resource");
        error(api.post(u.path("/events/someid/attachments/other"), u.token(), huge), 405, "invalid-operation");
        error(api.put(u.path("/events"), u.token(), huge), 405, "invalid-operation");
        error(api.post("/system/create-user", null, huge), 401, "invalid-access-token");
        error(api.post(u.path("/events"), null, huge), 413, "request-too-large");
        error(api.post(u.path("/events"), u.token(), huge), 413, "request-too-large");
        for (String method : List.of("PROPFIND", "MKCOL", "X-CUSTOM", "PATCH")) {
            error(api.send(method, u.path("/webhooks/someid"), u.token(), huge), 405, "invalid-operation");
        }
        for (String odd : List.of("/webhooks/a%2Fb", "//webhooks", "/..;/webhooks", "/events/%2e%2e", "/events/%FF")) {
            error(api.post(u.path(odd), u.token(), huge), 400, "invalid-request-structure");
        }
    }

    @Test
    void resultSetsOverMaxResultsAre413() {
        User u = api.newUser("many");
        ok(api.post(u.path("/streams"), u.token(), Map.of("id", "s", "name", "s")), 201);
        for (int i = 0; i < MAX_RESULTS; i++) {
            ok(api.post(u.path("/events"), u.token(),
                    Map.of("streamIds", List.of("s"), "type", "count/n", "time", 1000 + i)), 201);
        }
        assertThat(ok(api.get(u.path("/events?fromTime=0"), u.token()), 200).body().get("events"))
                .hasSize(MAX_RESULTS);
        assertThat(ok(api.get(u.path("/events?limit=" + MAX_RESULTS), u.token()), 200).body().get("events"))
                .hasSize(MAX_RESULTS);
        for (String tooMany : List.of("limit=" + (MAX_RESULTS + 1), "limit=10000000000",
                "limit=9223372036854775807")) {
            Reply r = error(api.get(u.path("/events?" + tooMany), u.token()), 413, "too-many-results");
            assertThat(r.body().get("error").get("data").get("limit").asInt()).isEqualTo(MAX_RESULTS);
        }
        ok(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of("s"), "type", "count/n", "time", 1)),
                201);
        // One more than the maximum with no limit asked: refused, not silently cut.
        error(api.get(u.path("/events?fromTime=0"), u.token()), 413, "too-many-results");
        error(api.get(u.path("/events?limit=0"), u.token()), 413, "too-many-results");
        // The default limit and an explicit limit still answer.
        assertThat(ok(api.get(u.path("/events"), u.token()), 200).body().get("events")).hasSize(20);
        assertThat(ok(api.get(u.path("/events?fromTime=0&limit=5&skip=26"), u.token()), 200).body()
                .get("events")).hasSize(5);
        // Negative values are not "too many", they are wrong.
        error(api.get(u.path("/events?limit=-1"), u.token()), 400, "invalid-parameters-format");
        error(api.get(u.path("/events?skip=-5"), u.token()), 400, "invalid-parameters-format");
    }

    @Test
    void batchesOverMaxBatchCallsAreRefusedWhole() {
        User u = api.newUser("batchmax");
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) calls.add(Map.of("method", "streams.create", "params", Map.of("name", "s" + i)));
        error(api.post(u.path("/"), u.token(), calls), 400, "invalid-parameters-format");
        assertThat(ok(api.get(u.path("/streams"), u.token()), 200).body().get("streams")).isEmpty();
        JsonNode results = ok(api.post(u.path("/"), u.token(), calls.subList(0, 3)), 200).body().get("results");
        assertThat(results).hasSize(3);
        assertThat(ok(api.get(u.path("/streams"), u.token()), 200).body().get("streams")).hasSize(3);
    }
}
