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

import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.enveloped;
import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on every write endpoint: each gets the docs/API.md error id, never a 500, always the envelope, and the
 * database is left as it was.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadInputTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    /** Bodies that are not JSON, or not only JSON. */
    static final List<String> MALFORMED = List.of("{", "[", "nul", "{\"a\":}", "{'a': 1}", "{\"a\": 1,}",
            "{\"name\": \"x\"} {\"name\": \"y\"}", "{\"name\": \"x\"} trailing", "\u0000", "{\"a\": \"\\u12\"}",
            "{\"a\": 0x10}", "{\"a\": NaN}");

    /** A user with one stream "s", one event and the ids of both; and a snapshot of everything it holds. */
    private record Setup(User user, String eventId) {
    }

    private Setup setup(String prefix) {
        User u = api.newUser(prefix);
        ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "s", "name", "s")), 201);
        String e = ok(api.post("/" + u.username() + "/events", u.token(),
                Map.of("streamIds", List.of("s"), "type", "note/txt", "content", "original")), 201)
                .body().get("event").get("id").asText();
        return new Setup(u, e);
    }

    /** Everything the user's personal access can see, to compare before and after. */
    private String snapshot(User u) {
        JsonNode events = ok(api.get("/" + u.username() + "/events?state=all&limit=1000", u.token()), 200).body()
                .get("events");
        JsonNode streams = ok(api.get("/" + u.username() + "/streams?state=all", u.token()), 200).body()
                .get("streams");
        JsonNode accesses = ok(api.get("/" + u.username() + "/accesses", u.token()), 200).body().get("accesses");
        return events + "|" + streams + "|" + accesses;
    }

    @Test
    void malformedJsonOnEveryWriteEndpoint() {
        Setup s = setup("malformed");
        User u = s.user();
        String before = snapshot(u);
        String p = "/" + u.username();
        for (String body : MALFORMED) {
            for (String[] endpoint : new String[][] {{"POST", p + "/events"}, {"PUT", p + "/events/" + s.eventId()},
                    {"POST", p + "/streams"}, {"PUT", p + "/streams/s"}, {"POST", p + "/accesses"}, {"POST", p + "/"},
                    {"POST", p + "/auth/login"}}) {
                Reply r = api.send(endpoint[0], endpoint[1], u.token(), body);
                error(r, 400, "invalid-request-structure");
            }
            error(api.post("/system/create-user", TestApps.ADMIN_KEY, body), 400, "invalid-request-structure");
        }
        assertThat(snapshot(u)).isEqualTo(before);
    }

    @Test
    void wrongJsonTypesAreListedParameterByParameter() {
        Setup s = setup("types");
        User u = s.user();
        String before = snapshot(u);
        String p = "/" + u.username();
        Reply r = error(api.post(p + "/events", u.token(), Map.of("streamIds", Map.of("a", 1), "type", List.of(),
                "time", true, "duration", "long", "description", 1, "clientData", 3, "trashed", 0)), 400,
                "invalid-parameters-format");
        JsonNode data = r.body().get("error").get("data");
        assertThat(data.isArray()).isTrue();
        List<String> params = new java.util.ArrayList<>();
        data.forEach(d -> {
            params.add(d.get("param").asText());
            assertThat(d.get("message").asText()).startsWith(d.get("param").asText());
        });
        assertThat(params).containsOnly("streamIds", "type", "time", "duration", "description", "clientData",
                "trashed");
        // Body values are not converted from text as query-string values are.
        error(api.post(p + "/events", u.token(), Map.of("streamIds", List.of("s"), "type", "a/b", "time", "12")), 400,
                "invalid-parameters-format");
        error(api.put(p + "/events/" + s.eventId(), u.token(), Map.of("trashed", "true")), 400,
                "invalid-parameters-format");
        error(api.put(p + "/streams/s", u.token(), Map.of("name", List.of("x"))), 400, "invalid-parameters-format");
        error(api.post(p + "/accesses", u.token(), Map.of("name", "x", "permissions", List.of("*"))), 400,
                "invalid-parameters-format");
        error(api.post(p + "/accesses", u.token(), Map.of("name", "x", "permissions", List.of(),
                "expireAfter", "soon")), 400, "invalid-parameters-format");
        assertThat(snapshot(u)).isEqualTo(before);
    }

    @Test
    void queryStringValuesAreConvertedOrRefused() {
        Setup s = setup("query");
        User u = s.user();
        String p = "/" + u.username() + "/events?";
        ok(api.get(p + "fromTime=0&toTime=9999999999.5&sortAscending=true&skip=0&limit=5&includeDeletions=false",
                u.token()), 200);
        ok(api.get(p + "sortAscending=1&includeDeletions", u.token()), 200);
        for (String bad : List.of("fromTime=x", "toTime=", "sortAscending=yes", "includeDeletions=2", "skip=1e2",
                "limit=1&limit=2", "state=", "modifiedSince=now", "types=", "streams[]=", "fromTime=NaN",
                "toTime=Infinity")) {
            Reply r = enveloped(api.get(p + bad, u.token()));
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.errorId()).as(bad).isIn("invalid-parameters-format", "unknown-referenced-resource");
        }
    }

    @Test
    void deepAndOddJsonNeverBreaksTheServer() {
        Setup s = setup("deep");
        User u = s.user();
        String p = "/" + u.username();
        for (int depth : List.of(10, 400, 600, 997, 998, 999, 1000, 1001, 5000)) {
            String content = "[".repeat(depth) + "]".repeat(depth);
            Reply r = enveloped(api.post(p + "/events", u.token(),
                    "{\"streamIds\": [\"s\"], \"type\": \"a/b\", \"content\": " + content + "}"));
            assertThat(r.status()).as("depth %d: %s", depth, r.body()).isIn(201, 400);
            if (r.status() == 201) {
                String id = r.body().get("event").get("id").asText();
                ok(api.get(p + "/events/" + id, u.token()), 200);
                ok(api.get(p + "/events?limit=100", u.token()), 200);
            } else {
                assertThat(r.errorId()).isEqualTo("invalid-request-structure");
            }
        }
        JsonNode all = ok(api.get(p + "/events?limit=100&state=all", u.token()), 200).body().get("events");
        assertThat(all).hasSizeGreaterThanOrEqualTo(3); // the first event, depth 10 and 400 at least
        error(api.post(p + "/events", u.token(), "{\"streamIds\": [\"s\"], \"type\": \"a/b\", \"content\": "
                + "[".repeat(5000) + "]".repeat(5000) + "}"), 400, "invalid-request-structure");

        JsonNode e = ok(api.post(p + "/events", u.token(), "{\"streamIds\": [\"s\"], \"type\": \"a/b\", \"content\": "
                + "{\"big\": 123456789012345678901234567890, \"uni\": \"h\u00e9llo \ud83d\ude00\", \"esc\": \"\\u0000\"}}"),
                201).body().get("event");
        JsonNode back = ok(api.get(p + "/events/" + e.get("id").asText(), u.token()), 200).body().get("event");
        assertThat(back.get("content").get("big").bigIntegerValue().toString())
                .isEqualTo("123456789012345678901234567890");
        assertThat(back.get("content").get("uni").asText()).isEqualTo("h\u00e9llo \ud83d\ude00");
        assertThat(back.get("content").get("esc").asText()).isEqualTo("\u0000");
    }

    @Test
    void unknownRoutesMethodsAndIds() {
        Setup s = setup("routes");
        User u = s.user();
        String p = "/" + u.username();
        error(api.get("/", u.token()), 404, "unknown-resource");
        error(api.get(p + "/nothing-here", u.token()), 404, "unknown-resource");
        error(api.get(p + "/events/a/b", u.token()), 404, "unknown-resource");
        Reply patch = enveloped(api.send("PATCH", p + "/events/" + s.eventId(), u.token(), "{}"));
        assertThat(patch.status()).isEqualTo(405);
        Reply deleteAll = enveloped(api.delete(p + "/events", u.token()));
        assertThat(deleteAll.status()).isEqualTo(405);
        error(api.get(p + "/streams/s", u.token()), 405, "invalid-operation");
        error(api.put(p + "/streams/no-such-stream", u.token(), Map.of("name", "x")), 404, "unknown-resource");
        error(api.delete(p + "/accesses/no-such-access", u.token()), 404, "unknown-resource");
        error(api.post(p + "/events", u.token(),
                Map.of("id", "UPPER", "streamIds", List.of("s"), "type", "a/b")), 400, "invalid-item-id");
        error(api.post(p + "/streams", u.token(), Map.of("id", "has space", "name", "x")), 400, "invalid-item-id");
        // Usernames that cannot exist are just unknown users.
        error(api.get("/NOT_A_USER/events", u.token()), 404, "unknown-resource");
        error(api.get("/x/events", u.token()), 404, "unknown-resource");
    }

    @Test
    void otherContentTypesAndAcceptHeaders() {
        Setup s = setup("ctype");
        User u = s.user();
        String p = "/" + u.username();
        Reply plain = api.sendWithHeaders("POST", p + "/streams",
                Map.of("Authorization", u.token(), "Content-Type", "text/plain"), "{\"name\": \"plain\"}");
        ok(plain, 201);
        Reply html = enveloped(api.sendWithHeaders("GET", p + "/events", Map.of("Authorization", u.token(),
                "Accept", "text/html"), null));
        assertThat(html.status()).isEqualTo(406);
    }

    @Test
    void nonFiniteNumbersAndInsaneTimesAreRefusedNotChanged() {
        Setup s = setup("finite");
        User u = s.user();
        String p = "/" + u.username();
        String before = snapshot(u);
        String event = "{\"streamIds\": [\"s\"], \"type\": \"a/b\", ";
        for (String body : List.of(event + "\"content\": 1e400}", event + "\"content\": -1e400}",
                event + "\"content\": {\"deep\": [1, 2e999]}}", event + "\"clientData\": {\"x\": 1e309}}",
                event + "\"time\": 1e300}", event + "\"time\": -1e300}", event + "\"time\": 1e12}",
                event + "\"duration\": 1e300}", event + "\"time\": 1e400}")) {
            error(api.post(p + "/events", u.token(), body), 400, "invalid-parameters-format");
            // In a batch call too: a non-finite number refuses the whole body (as a malformed body is refused),
            // a time out of range only its call.
            Reply batch = enveloped(api.post(p + "/", u.token(), "[{\"method\": \"events.create\", \"params\": "
                    + body + "}]"));
            JsonNode failed = batch.status() == 200 ? batch.body().path("results").get(0) : batch.body();
            assertThat(failed.path("error").path("id").asText()).as(body).isEqualTo("invalid-parameters-format");
        }
        error(api.put(p + "/events/" + s.eventId(), u.token(), "{\"content\": 1e400}"), 400,
                "invalid-parameters-format");
        error(api.put(p + "/events/" + s.eventId(), u.token(), "{\"time\": 1e300}"), 400,
                "invalid-parameters-format");
        for (String q : List.of("fromTime=1e300", "toTime=-1e300", "modifiedSince=1e300", "fromTime=Infinity",
                "modifiedSince=NaN")) {
            error(api.get(p + "/events?" + q, u.token()), 400, "invalid-parameters-format");
        }
        error(api.get(p + "/streams?includeDeletionsSince=1e300", u.token()), 400, "invalid-parameters-format");
        error(api.post(p + "/accesses", u.token(), "{\"type\": \"shared\", \"name\": \"x\", \"permissions\": [], "
                + "\"expireAfter\": 1e400}"), 400, "invalid-parameters-format");
        assertThat(snapshot(u)).isEqualTo(before);
        // Large finite numbers and times within range are kept as they were sent.
        JsonNode kept = ok(api.post(p + "/events", u.token(), event + "\"content\": 1.7976931348623157e308, "
                + "\"time\": 253402300799}"), 201).body().get("event");
        assertThat(kept.get("content").asDouble()).isEqualTo(Double.MAX_VALUE);
        assertThat(kept.get("time").asDouble()).isEqualTo(253402300799.0);
    }

    @Test
    void anUpdateWithoutABodyIs400() {
        Setup s = setup("emptyput");
        User u = s.user();
        String p = "/" + u.username();
        String before = snapshot(u);
        for (String path : List.of(p + "/events/" + s.eventId(), p + "/streams/s")) {
            error(api.send("PUT", path, u.token(), ""), 400, "invalid-request-structure");
            error(api.send("PUT", path, u.token(), null), 400, "invalid-request-structure");
        }
        assertThat(snapshot(u)).isEqualTo(before);
    }
}
