package io.hookline.auth;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.enveloped;
import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The three ways a token travels, and the tokens that are refused (docs/API.md section 2). */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuthenticationTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokenInAnyOfTheThreePlaces() {
        User u = api.newUser("auth");
        String path = "/" + u.username() + "/access-info";
        String id = ok(api.get(path, u.token()), 200).body().get("id").asText();

        Reply viaBasic = ok(api.sendWithHeaders("GET", path, Map.of("Authorization", basic(u.token() + ":")), null),
                200);
        assertThat(viaBasic.body().get("id").asText()).isEqualTo(id);
        assertThat(viaBasic.header("Pryv-Access-Id")).isEqualTo(id);

        Reply viaQuery = ok(api.get(path + "?auth=" + u.token(), null), 200);
        assertThat(viaQuery.body().get("id").asText()).isEqualTo(id);
        assertThat(viaQuery.header("Pryv-Access-Id")).isEqualTo(id);

        // auth is not an events.get parameter.
        ok(api.get("/" + u.username() + "/events?auth=" + u.token() + "&limit=1", null), 200);
    }

    @Test
    void missingTokenIs401() {
        User u = api.newUser("missing");
        for (String path : List.of("/access-info", "/events", "/streams", "/accesses")) {
            error(api.get("/" + u.username() + path, null), 401, "invalid-access-token");
        }
        error(api.post("/" + u.username() + "/events", null,
                Map.of("streamIds", List.of("x"), "type", "note/txt")), 401, "invalid-access-token");
        error(api.post("/" + u.username() + "/", null, List.of()), 401, "invalid-access-token");
        error(api.get("/" + u.username() + "/events?auth=", null), 401, "invalid-access-token");
    }

    @Test
    void unknownTokenIs403() {
        User u = api.newUser("unknown");
        String path = "/" + u.username() + "/access-info";
        error(api.get(path, "cnotarealtoken000000000000"), 403, "invalid-access-token");
        error(api.get(path + "?auth=cnotarealtoken000000000000", null), 403, "invalid-access-token");
        error(api.sendWithHeaders("GET", path, Map.of("Authorization", basic("cnotarealtoken:")), null), 403,
                "invalid-access-token");
        // A malformed Basic header is refused, never a 500.
        Reply garbled = enveloped(api.sendWithHeaders("GET", path, Map.of("Authorization", "Basic !!!"), null));
        assertThat(garbled.errorId()).isEqualTo("invalid-access-token");
    }

    @Test
    void aTokenOnlyWorksForItsOwnUser() {
        User alice = api.newUser("alice");
        User bob = api.newUser("bob");
        ok(api.post("/" + bob.username() + "/streams", bob.token(), Map.of("id", "b", "name", "b")), 201);
        error(api.get("/" + bob.username() + "/access-info", alice.token()), 403, "invalid-access-token");
        error(api.get("/" + bob.username() + "/streams?auth=" + alice.token(), null), 403, "invalid-access-token");
        error(api.post("/" + bob.username() + "/streams", alice.token(), Map.of("name", "intruder")), 403,
                "invalid-access-token");
        String aliceApp = api.createAccess(alice, alice.token(),
                Map.of("type", "app", "name", "a", "permissions", List.of(Map.of("streamId", "*", "level", "manage"))))
                .get("token").asText();
        error(api.get("/" + bob.username() + "/events", aliceApp), 403, "invalid-access-token");
        // Bob's streams are untouched.
        assertThat(ok(api.get("/" + bob.username() + "/streams", bob.token()), 200).body().get("streams"))
                .hasSize(1);
    }

    @Test
    void unknownUserIs404WithItsName() {
        User u = api.newUser("known");
        Reply r = error(api.get("/ghost-user-x/events", u.token()), 404, "unknown-resource");
        assertThat(r.body().get("error").get("message").asText()).isEqualTo("Unknown user \"ghost-user-x\"");
        error(api.post("/ghost-user-x/events", u.token(), Map.of("streamIds", List.of("a"), "type", "a/b")), 404,
                "unknown-resource");
        error(api.post("/ghost-user-x/", u.token(), List.of()), 404, "unknown-resource");
        error(api.get("/ghost-user-x/access-info", null), 404, "unknown-resource");
    }
}
