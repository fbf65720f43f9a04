package io.hookline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** account.get, account.update and account.changePassword, over REST and in batch calls. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AccountMethodsTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    private User withPassword(String prefix, String password) {
        String name = prefix + "-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
        JsonNode body = ok(api.post("/system/create-user", TestApps.ADMIN_KEY,
                Map.of("username", name, "password", password, "email", name + "@example.org")), 201).body();
        return new User(name, body.get("token").asText());
    }

    private ApiClient.Reply login(User u, String password) {
        return api.post("/" + u.username() + "/auth/login", null,
                Map.of("username", u.username(), "password", password, "appId", "account-test"));
    }

    @Test
    void getShowsTheAccountAndWhatItStores() {
        User u = withPassword("acct", "first-pass");
        ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "diary", "name", "Diary")), 201);
        ok(api.post("/" + u.username() + "/events", u.token(),
                Map.of("streamIds", List.of("diary"), "type", "note/txt", "content", "hello")), 201);
        JsonNode account = ok(api.get("/" + u.username() + "/account", u.token()), 200).body().get("account");
        assertThat(account.get("username").asText()).isEqualTo(u.username());
        assertThat(account.get("email").asText()).isEqualTo(u.username() + "@example.org");
        assertThat(account.get("language").asText()).isEqualTo("en");
        assertThat(account.get("storageUsed").get("dbDocuments").asLong()).isEqualTo(2);
        assertThat(account.get("storageUsed").get("attachedFiles").asLong()).isZero();
    }

    @Test
    void updateChangesEmailAndLanguage() {
        User u = withPassword("acctup", "first-pass");
        JsonNode account = ok(api.put("/" + u.username() + "/account", u.token(),
                Map.of("email", "new@example.org", "language", "fr-CH")), 200).body().get("account");
        assertThat(account.get("email").asText()).isEqualTo("new@example.org");
        assertThat(account.get("language").asText()).isEqualTo("fr-CH");
        // Only what is given changes, and in a batch call too.
        JsonNode r = ok(api.post("/" + u.username() + "/", u.token(), List.of(Map.of("method", "account.update",
                "params", Map.of("update", Map.of("language", "de"))))), 200).body().get("results").get(0);
        assertThat(r.get("account").get("email").asText()).isEqualTo("new@example.org");
        assertThat(r.get("account").get("language").asText()).isEqualTo("de");
    }

    @Test
    void badUpdatesAre400AndChangeNothing() {
        User u = withPassword("acctbad", "first-pass");
        String path = "/" + u.username() + "/account";
        error(api.put(path, u.token(), Map.of("email", "not-an-address")), 400, "invalid-parameters-format");
        error(api.put(path, u.token(), Map.of("language", 12)), 400, "invalid-parameters-format");
        error(api.put(path, u.token(), Map.of("language", "no such language")), 400, "invalid-parameters-format");
        error(api.put(path, u.token(), Map.of("username", "someone-else")), 400, "invalid-parameters-format");
        error(api.put(path, u.token(), "[1]"), 400, "invalid-request-structure");
        JsonNode account = ok(api.get(path, u.token()), 200).body().get("account");
        assertThat(account.get("email").asText()).isEqualTo(u.username() + "@example.org");
        assertThat(account.get("language").asText()).isEqualTo("en");
    }

    @Test
    void onlyPersonalAccessesReachTheAccount() {
        User u = withPassword("acctapp", "first-pass");
        String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "an-app",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
        String path = "/" + u.username() + "/account";
        error(api.get(path, app), 403, "forbidden");
        error(api.put(path, app, Map.of("language", "fr")), 403, "forbidden");
        error(api.post(path + "/change-password", app, Map.of("oldPassword", "first-pass",
                "newPassword", "second-pass")), 403, "forbidden");
        error(api.get(path, null), 401, "invalid-access-token");
        assertThat(login(u, "first-pass").status()).isEqualTo(200);
    }

    @Test
    void changePasswordChecksTheOldOneAndKeepsOpenSessions() {
        User u = withPassword("acctpw", "first-pass");
        String session = ok(login(u, "first-pass"), 200).body().get("token").asText();
        String path = "/" + u.username() + "/account/change-password";
        error(api.post(path, session, Map.of("oldPassword", "not-it", "newPassword", "second-pass")), 400,
                "invalid-operation");
        error(api.post(path, session, Map.of("oldPassword", "first-pass", "newPassword", "short")), 400,
                "invalid-parameters-format");
        error(api.post(path, session, Map.of("oldPassword", "first-pass")), 400, "invalid-parameters-format");
        error(api.post(path, session, Map.of("oldPassword", "first-pass", "newPassword", 123456789)), 400,
                "invalid-parameters-format");
        assertThat(ok(api.post(path, session, Map.of("oldPassword", "first-pass", "newPassword", "second-pass")),
                200).body().size()).as("{} plus meta").isEqualTo(1);

        error(login(u, "first-pass"), 401, "invalid-credentials");
        assertThat(ok(login(u, "second-pass"), 200).body().get("token").asText()).isEqualTo(session);
        // Neither the session that changed it nor the first personal token were ended.
        ok(api.get("/" + u.username() + "/account", session), 200);
        ok(api.get("/" + u.username() + "/account", u.token()), 200);
        // The same in a batch call.
        JsonNode r = ok(api.post("/" + u.username() + "/", session, List.of(Map.of("method",
                "account.changePassword", "params", Map.of("oldPassword", "second-pass",
                        "newPassword", "third-pass")))), 200).body().get("results").get(0);
        assertThat(r.has("error")).as("%s", r).isFalse();
        ok(login(u, "third-pass"), 200);
    }
}
