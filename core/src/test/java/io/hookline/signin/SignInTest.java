package io.hookline.signin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.Reply;
import io.hookline.support.MovableClock;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Web apps' sign-in (API.md section 15): request, the sign-in page, the poll, and every way it can end. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SignInTest {
    static final MovableClock CLOCK = new MovableClock();
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.appWithClock(CLOCK);
    static final String PASSWORD = "a-good-password";
    final ApiClient api = TestApps.client(APP);
    final HttpClient http = HttpClient.newHttpClient();

    record Page(int status, String html, String location) {
    }

    private ApiClient.User newUser() {
        String username = "signin-" + Long.toString(System.nanoTime(), 36);
        JsonNode created = ok(api.post("/system/create-user", TestApps.ADMIN_KEY,
                Map.of("username", username, "password", PASSWORD)), 201).body();
        return new ApiClient.User(username, created.get("token").asText());
    }

    private JsonNode request(Object body) {
        return ok(api.post("/reg/access/", null, body), 201).body();
    }

    private JsonNode diaryRequest(String appId) {
        return request(Map.of("requestingAppId", appId, "requestedPermissions", List.of(
                Map.of("streamId", "diary", "defaultName", "Diary", "level", "contribute"),
                Map.of("streamId", "health", "defaultName", "Health", "level", "read"))));
    }

    private Page page(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private Page submit(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Page send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply poll(JsonNode request) {
        return api.get(URI.create(request.get("poll").asText()).getPath(), null);
    }

    @Test
    void aRequestAnswersWhereToSignInAndWhereToPoll() {
        JsonNode r = diaryRequest("diary-app");
        String base = api.base() + "/reg/access/" + r.get("key").asText();
        assertThat(r.get("status").asText()).isEqualTo("NEED_SIGNIN");
        assertThat(r.get("code").asInt()).isEqualTo(201);
        assertThat(r.get("requestingAppId").asText()).isEqualTo("diary-app");
        assertThat(r.get("requestedPermissions").size()).isEqualTo(2);
        assertThat(r.get("poll").asText()).isEqualTo(base);
        assertThat(r.get("authUrl").asText()).isEqualTo(base + "/sign-in");
        assertThat(r.get("url").asText()).isEqualTo(r.get("authUrl").asText());
        assertThat(r.get("poll_rate_ms").asInt()).isEqualTo(1000);

        JsonNode waiting = ok(poll(r), 201).body();
        assertThat(waiting.get("status").asText()).isEqualTo("NEED_SIGNIN");

        Page p = page(r.get("authUrl").asText());
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.html()).contains("<label for=\"username\">", "<label for=\"password\">",
                "Diary (diary)", "see, add, change and delete events", "Health (health)", "see its events",
                "it is created, named “Diary”");
    }

    @Test
    void acceptingCreatesTheMissingStreamsAndGivesTheAppATokenThatReadsThem() {
        ApiClient.User u = newUser();
        ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "health", "name", "My health")), 201);
        JsonNode r = diaryRequest("diary-app");

        Page done = submit(r.get("authUrl").asText(),
                Map.of("username", u.username(), "password", PASSWORD, "decision", "accept"));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.html()).contains("Access given", "diary-app");

        JsonNode accepted = ok(poll(r), 200).body();
        assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.get("username").asText()).isEqualTo(u.username());
        String token = accepted.get("token").asText();
        assertThat(accepted.get("apiEndpoint").asText()).contains(token + "@").endsWith("/" + u.username() + "/");

        JsonNode info = ok(api.get("/" + u.username() + "/access-info", token), 200).body();
        assertThat(info.get("type").asText()).isEqualTo("app");
        assertThat(info.get("name").asText()).isEqualTo("diary-app");
        JsonNode streams = ok(api.get("/" + u.username() + "/streams", token), 200).body().get("streams");
        Map<String, String> names = new java.util.TreeMap<>();
        streams.forEach(s -> names.put(s.get("id").asText(), s.get("name").asText()));
        // The missing stream is created with its defaultName; the existing one keeps the user's name.
        assertThat(names).containsEntry("diary", "Diary").containsEntry("health", "My health");
        ok(api.post("/" + u.username() + "/events", token,
                Map.of("streamIds", List.of("diary"), "type", "note/txt", "content", "hello")), 201);

        // The same app asking the same again gets the same access back.
        JsonNode again = diaryRequest("diary-app");
        submit(again.get("authUrl").asText(), Map.of("username", u.username(), "password", PASSWORD,
                "decision", "accept"));
        assertThat(ok(poll(again), 200).body().get("token").asText()).isEqualTo(token);
    }

    @Test
    void aWrongPasswordShowsTheFormAgainAndLeavesTheRequestOpen() {
        ApiClient.User u = newUser();
        JsonNode r = diaryRequest("diary-app");
        for (String[] attempt : new String[][]{{u.username(), "not-the-password"}, {"nobody-" + u.username(), PASSWORD}}) {
            Page wrong = submit(r.get("authUrl").asText(),
                    Map.of("username", attempt[0], "password", attempt[1], "decision", "accept"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.html()).contains("role=\"alert\"", "aria-describedby=\"problem\"",
                    "value=\"" + attempt[0] + "\"");
            assertThat(wrong.html()).containsIgnoringCase("password");
            assertThat(ok(poll(r), 201).body().get("status").asText()).isEqualTo("NEED_SIGNIN");
        }
        Page right = submit(r.get("authUrl").asText(),
                Map.of("username", u.username(), "password", PASSWORD, "decision", "accept"));
        assertThat(right.status()).isEqualTo(200);
        assertThat(ok(poll(r), 200).body().get("status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void refusingNeedsNoPasswordAndTheKeyCannotBeAnsweredTwice() {
        ApiClient.User u = newUser();
        JsonNode r = diaryRequest("nosy-app");
        Page refused = submit(r.get("authUrl").asText(), Map.of("decision", "refuse"));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.html()).contains("Access refused", "nosy-app");

        Reply answer = poll(r);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().get("status").asText()).isEqualTo("REFUSED");
        assertThat(answer.body().get("reasonId").asText()).isEqualTo("REFUSED_BY_USER");
        assertThat(answer.body().get("code").asInt()).isEqualTo(403);

        Page late = submit(r.get("authUrl").asText(),
                Map.of("username", u.username(), "password", PASSWORD, "decision", "accept"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.html()).contains("Access refused");
        assertThat(poll(r).body().get("status").asText()).isEqualTo("REFUSED");
        assertThat(page(r.get("authUrl").asText()).html()).contains("Access refused");
        // Nothing was given to the app.
        JsonNode accesses = ok(api.get("/" + u.username() + "/accesses", u.token()), 200).body().get("accesses");
        accesses.forEach(a -> assertThat(a.get("name").asText()).isNotEqualTo("nosy-app"));
    }

    @Test
    void aRequestExpiresAfterTenMinutes() {
        ApiClient.User u = newUser();
        JsonNode r = diaryRequest("slow-app");
        CLOCK.advance(Duration.ofMinutes(9));
        ok(poll(r), 201);
        CLOCK.advance(Duration.ofMinutes(1).plusSeconds(1));
        error(poll(r), 404, "unknown-resource");
        Page gone = page(r.get("authUrl").asText());
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.html()).contains("no longer valid");
        Page late = submit(r.get("authUrl").asText(),
                Map.of("username", u.username(), "password", PASSWORD, "decision", "accept"));
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.html()).contains("no longer valid");
    }

    @Test
    void unknownKeysAndBadRequestsAnswerClearly() {
        error(api.get("/reg/access/cunknownkey000000000000000", null), 404, "unknown-resource");
        assertThat(page(api.base() + "/reg/access/cunknown/sign-in").html()).contains("no longer valid");
        error(api.post("/reg/access/", null, Map.of("requestedPermissions", List.of())), 400,
                "invalid-parameters-format");
        Reply badLevel = error(api.post("/reg/access/", null, Map.of("requestingAppId", "x",
                "requestedPermissions", List.of(Map.of("streamId", "a", "level", "owner")))), 400,
                "invalid-parameters-format");
        assertThat(badLevel.body().path("error").path("message").asText()).contains("requestedPermissions");
        error(api.post("/reg/access/", null, Map.of("requestingAppId", "x", "returnURL", "javascript:alert(1)",
                "requestedPermissions", List.of(Map.of("streamId", "a", "level", "read")))), 400,
                "invalid-parameters-format");
        error(api.post("/reg/access/", null, "[1, 2"), 400, "invalid-request-structure");
    }

    @Test
    void theSignInButtonAssetsAreServedBesideThePage() {
        JsonNode index = ApiClient.json(page(api.base() + "/reg/assets/index.json").html());
        JsonNode button = index.get("lib-js").get("buttonSignIn");
        assertThat(page(api.base() + "/reg/assets/" + button.get("html").asText()).html())
                .contains("id=\"pryv-access-btn-text\"");
        assertThat(page(api.base() + "/reg/assets/" + button.get("css").asText()).status()).isEqualTo(200);
        JsonNode messages = ApiClient.json(page(api.base() + "/reg/assets/" + button.get("messages").asText()).html());
        assertThat(messages.get("LOADING").get("en").asText()).isNotBlank();
        assertThat(page(api.base() + "/reg/assets/sign-in.css").status()).isEqualTo(200);
        assertThat(page(api.base() + "/reg/assets/config.yml").status()).isEqualTo(404);
    }

    @Test
    void thePageEscapesWhatTheAppSends() {
        JsonNode r = request(Map.of("requestingAppId", "<script>alert(1)</script>", "requestedPermissions",
                List.of(Map.of("streamId", "x\"><img src=x>", "level", "read"))));
        String html = page(r.get("authUrl").asText()).html();
        assertThat(html).doesNotContain("<script>alert", "<img src=x>").contains("&lt;script&gt;alert(1)");
    }

    @Test
    void withAReturnUrlTheUserGoesBackToTheAppWithThePollUrl() {
        ApiClient.User u = newUser();
        JsonNode r = request(Map.of("requestingAppId", "page-app", "returnURL", "https://app.example.com/back?",
                "requestedPermissions", List.of(Map.of("streamId", "diary", "defaultName", "Diary", "level", "read"))));
        Page back = submit(r.get("authUrl").asText(),
                Map.of("username", u.username(), "password", PASSWORD, "decision", "accept"));
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).startsWith("https://app.example.com/back?prYvkey=" + r.get("key").asText())
                .contains("&prYvstatus=ACCEPTED&prYvpoll="
                        + URLEncoder.encode(r.get("poll").asText(), StandardCharsets.UTF_8));
    }
}
