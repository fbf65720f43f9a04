package io.hookline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.Reply;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The system API (create-user with the admin key) and auth.login (docs/API.md sections 3 and 2). */
@ExtendWith(DropwizardExtensionsSupport.class)
class AccountsTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    /** A fresh valid username of exactly {@code length} characters (5 to 60). */
    private static String name(int length) {
        StringBuilder sb = new StringBuilder("u");
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        while (sb.length() < length) sb.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(r.nextInt(36)));
        return sb.toString();
    }

    @Test
    void createUserAnswersWithAWorkingPersonalToken() {
        String carol = "carol-" + name(10);
        Reply r = ok(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", carol)), 201);
        String token = r.body().get("token").asText();
        assertThat(r.body().get("username").asText()).isEqualTo(carol);
        assertThat(r.body().get("apiEndpoint").asText())
                .isEqualTo("http://" + token + "@127.0.0.1:" + APP.getLocalPort() + "/" + carol + "/");
        JsonNode info = ok(api.get("/" + carol + "/access-info", token), 200).body();
        assertThat(info.get("type").asText()).isEqualTo("personal");
        // The personal access manages everything, including root streams.
        ok(api.post("/" + carol + "/streams", token, Map.of("name", "Root")), 201);
    }

    @Test
    void createUserNeedsTheAdminKey() {
        String wanted = name(12);
        error(api.post("/system/create-user", null, Map.of("username", wanted)), 401, "invalid-access-token");
        error(api.post("/system/create-user", "not-the-key", Map.of("username", wanted)), 403,
                "invalid-access-token");
        // A user token is not the admin key.
        ApiClient.User u = api.newUser("notadmin");
        error(api.post("/system/create-user", u.token(), Map.of("username", wanted)), 403, "invalid-access-token");
        // Nothing was created.
        error(api.get("/" + wanted + "/access-info", u.token()), 404, "unknown-resource");
    }

    @Test
    void takenUsernameIs409() {
        String taken = name(12);
        ok(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", taken)), 201);
        Reply r = error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", taken)), 409,
                "item-already-exists");
        assertThat(r.body().get("error").get("data").get("username").asText()).isEqualTo(taken);
    }

    @Test
    void badUsernamesAndParametersAre400() {
        for (String bad : List.of("abcd", "Upper-Case", "-leading", "trailing-", "under_score", "sp ace",
                "a".repeat(61), "")) {
            error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", bad)), 400,
                    "invalid-parameters-format");
        }
        ok(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", name(60))), 201);
        ok(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", name(5))), 201);
        error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of()), 400, "invalid-parameters-format");
        error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", 12345)), 400,
                "invalid-parameters-format");
        String extra = name(15);
        String shortPass = name(15);
        error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", extra, "email", "x")),
                400, "invalid-parameters-format");
        error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", shortPass, "password", "12")),
                400, "invalid-parameters-format");
        error(api.post("/system/create-user", TestApps.ADMIN_KEY, "{\"username\": "), 400,
                "invalid-request-structure");
        error(api.post("/system/create-user", TestApps.ADMIN_KEY, List.of("x")), 400, "invalid-request-structure");
        // Refused means not created: the names are still free.
        for (String never : List.of(extra, shortPass)) {
            ok(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", never)), 201);
        }
    }

    /** Password hashing is deliberately slow: one user with a password serves every login case. */
    @Test
    void loginWithThePasswordGivesAPersonalAccessPerApp() {
        String dana = "dana-" + name(10);
        ok(api.post("/system/create-user", TestApps.ADMIN_KEY,
                Map.of("username", dana, "password", "s3cret-pass")), 201);
        String path = "/" + dana + "/auth/login";

        Reply first = ok(api.post(path, null,
                Map.of("username", dana, "password", "s3cret-pass", "appId", "my-app")), 200);
        String token = first.body().get("token").asText();
        assertThat(first.body().get("apiEndpoint").asText())
                .isEqualTo("http://" + token + "@127.0.0.1:" + APP.getLocalPort() + "/" + dana + "/");
        JsonNode info = ok(api.get("/" + dana + "/access-info", token), 200).body();
        assertThat(info.get("type").asText()).isEqualTo("personal");
        assertThat(info.get("name").asText()).isEqualTo("my-app");

        // The same app gets the same access back; another app gets another.
        Reply again = ok(api.post(path, null,
                Map.of("username", dana, "password", "s3cret-pass", "appId", "my-app")), 200);
        assertThat(again.body().get("token").asText()).isEqualTo(token);

        Reply wrong = error(api.post(path, null,
                Map.of("username", dana, "password", "wrong-pass", "appId", "my-app")), 401, "invalid-credentials");
        assertThat(wrong.body().get("error").get("message").asText())
                .isEqualTo("The given username/password pair is invalid.");
        error(api.post(path, null, Map.of("username", "someone-else", "password", "s3cret-pass", "appId", "my-app")),
                401, "invalid-credentials");
        error(api.post(path, null, Map.of("username", dana, "password", "s3cret-pass")), 400,
                "invalid-parameters-format");
        error(api.post(path, null, "{oops"), 400, "invalid-request-structure");
        error(api.post("/nobody-at-all/auth/login", null,
                Map.of("username", "nobody-at-all", "password", "s3cret-pass", "appId", "a")), 404, "unknown-resource");
    }

    @Test
    void aUserWithoutPasswordCannotLogIn() {
        ApiClient.User u = api.newUser("nopass");
        error(api.post("/" + u.username() + "/auth/login", null,
                Map.of("username", u.username(), "password", "anything", "appId", "a")), 401, "invalid-credentials");
    }

    @Test
    void namesOfTheServersOwnPathsAreRefused() {
        for (String reserved : List.of("system", "service", "console", "register", "healthcheck")) {
            error(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of("username", reserved)), 400,
                    "invalid-parameters-format");
        }
        // Every path the server serves at its root is in the one list.
        for (Object resource : APP.getEnvironment().jersey().getResourceConfig().getInstances()) {
            jakarta.ws.rs.Path path = resource.getClass().getAnnotation(jakarta.ws.rs.Path.class);
            if (path == null) continue;
            String first = path.value().replaceFirst("^/", "").split("/")[0];
            if (first.isEmpty() || first.startsWith("{")) continue;
            assertThat(ReservedNames.PATHS).as("root path of %s", resource.getClass()).contains(first);
        }
    }
}
