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
import static org.assertj.core.api.Assertions.within;

/** docs/API.md section 1: meta, API-Version, CORS and Pryv-Access-Id on every answer, errors included. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EnvelopeTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    @Test
    void errorsJettyAnswersItselfAreJsonWithMetaToo() {
        // An encoded path separator is refused by Jetty before the request reaches the API.
        Reply r = api.get("/someone/events/..%2F..", null);
        error(r, 400, "invalid-request-structure");
    }

    @Test
    void unknownMethodsGetTheJsonEnvelope() {
        User u = api.newUser("envmethod");
        for (String method : List.of("TRACE", "FOO", "PATCH")) {
            for (String path : List.of("/" + u.username() + "/events", "/" + u.username() + "/", "/system/create-user",
                    "/nobody-here/streams/x")) {
                Reply r = api.send(method, path, u.token(), null);
                assertThat(r.status()).as("%s %s", method, path).isIn(404, 405);
                assertThat(r.errorId()).as("%s %s: %s", method, path, r.body())
                        .isIn("invalid-operation", "unknown-resource");
                enveloped(r);
            }
        }
    }

    @Test
    void ambiguousIdsGetTheSameJsonErrorWhateverTheMethod() {
        User u = api.newUser("envambig");
        for (String id : List.of("%2e%2e", "a%2Fb", "%5C..%5C", "%C0%AE", "%FF", "..%2F..")) {
            for (String method : List.of("GET", "DELETE", "PUT", "POST")) {
                Reply r = api.send(method, "/" + u.username() + "/events/" + id, u.token(),
                        method.startsWith("P") ? "{}" : null);
                assertThat(r.status()).as("%s %s: %s", method, id, r.body()).isBetween(400, 499);
                assertThat(r.errorId()).as("%s %s: %s", method, id, r.body()).isNotNull();
                enveloped(r);
            }
        }
    }

    @Test
    void successCarriesMetaAndHeaders() {
        User u = api.newUser("env");
        double before = System.currentTimeMillis() / 1000.0;
        Reply r = ok(api.get("/" + u.username() + "/access-info", u.token()), 200);
        JsonNode meta = r.body().get("meta");
        assertThat(meta.get("serial").asText()).isEqualTo("2026112701");
        assertThat(meta.get("apiVersion").asText()).isEqualTo(Meta.API_VERSION).isNotEqualTo("0.0.0");
        assertThat(meta.get("serverTime").asDouble()).isCloseTo(before, within(5.0));
        assertThat(r.header("Pryv-Access-Id")).isEqualTo(r.body().get("id").asText());
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.header("Access-Control-Expose-Headers")).contains("API-Version");
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void errorsCarryMetaAndHeadersToo() {
        User u = api.newUser("enverr");
        // Authenticated, then refused: the access id is still told.
        Reply shared = ok(api.post("/" + u.username() + "/accesses", u.token(),
                Map.of("type", "shared", "name", "s", "permissions", List.of())), 201);
        String sharedToken = shared.body().get("access").get("token").asText();
        Reply forbidden = error(api.get("/" + u.username() + "/accesses", sharedToken), 403, "forbidden");
        assertThat(forbidden.header("Pryv-Access-Id")).isEqualTo(shared.body().get("access").get("id").asText());

        // Not authenticated: no access id.
        Reply missing = error(api.get("/" + u.username() + "/events", null), 401, "invalid-access-token");
        assertThat(missing.header("Pryv-Access-Id")).isNull();
        error(api.get("/nobody-here/events", u.token()), 404, "unknown-resource");
        error(api.get("/" + u.username() + "/no-such-route", u.token()), 404, "unknown-resource");
        Reply bad = error(api.post("/" + u.username() + "/events", u.token(), "{not json"), 400,
                "invalid-request-structure");
        assertThat(bad.header("Pryv-Access-Id")).isNull();
        error(api.post("/system/create-user", "wrong-key", Map.of("username", "whoever")), 403,
                "invalid-access-token");
    }

    @Test
    void browsersGetCorsAnswers() {
        User u = api.newUser("cors");
        Reply r = enveloped(api.sendWithHeaders("GET", "/" + u.username() + "/events",
                Map.of("Authorization", u.token(), "Origin", "https://app.example.com"), null));
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");

        Reply preflight = api.sendWithHeaders("OPTIONS", "/" + u.username() + "/events",
                Map.of("Origin", "https://app.example.com", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "authorization, content-type"), null);
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST", "PUT", "DELETE");
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
    }

    @Test
    void serverTimeNeverGoesBackwards() {
        User u = api.newUser("time");
        double last = 0;
        for (int i = 0; i < 5; i++) {
            Reply r = ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("name", "s" + i)), 201);
            double t = r.body().get("meta").get("serverTime").asDouble();
            assertThat(t).isGreaterThanOrEqualTo(last);
            last = t;
        }
    }

    /**
     * A write's serverTime is taken before its change (on PostgreSQL possibly from a reading a few milliseconds old),
     * so a sync from it sees that change; a read's is taken afresh, so a sync from it sees nothing it already showed.
     */
    @Test
    void aSyncFromAWritesServerTimeSeesThatWriteAndFromAReadsNothingItShowed() {
        User u = api.newUser("wsync");
        ok(api.post(u.path("/streams"), u.token(), Map.of("id", "notes", "name", "Notes")), 201);
        Reply created = ok(api.post(u.path("/events"), u.token(),
                Map.of("streamIds", List.of("notes"), "type", "note/txt", "content", "hi")), 201);
        String id = created.body().get("event").get("id").asText();
        double written = created.body().get("meta").get("serverTime").asDouble();
        Reply since = ok(api.get(u.path("/events?modifiedSince=" + written), u.token()), 200);
        assertThat(since.body().get("events").findValuesAsText("id")).containsExactly(id);
        double read = since.body().get("meta").get("serverTime").asDouble();
        assertThat(ok(api.get(u.path("/events?modifiedSince=" + read), u.token()), 200).body().get("events"))
                .isEmpty();
    }
}
