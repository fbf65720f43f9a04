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
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.hookline.support.Replies.enveloped;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated bad input (fixed seed, so every run sends the same requests) on every route: malformed JSON, wrong types,
 * huge and deep values, odd encodings, wrong methods, bad tokens and odd ids. Every answer is below 500 and in the
 * JSON envelope, every error id is one of the documented ones, the server stays healthy, and what was written
 * before is intact.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class GeneratedBadInputTest {
    static final int REQUESTS = 600;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    static final Set<String> DOCUMENTED_IDS = Arrays.stream(ErrorId.values()).map(ErrorId::id)
            .collect(Collectors.toSet());

    final ApiClient api = TestApps.client(APP);
    final Random random = new Random(20261130L);

    private record Route(String method, String path, boolean takesBody) {
    }

    @Test
    void sixHundredGeneratedBadRequestsBreakNothing() {
        User u = api.newUser("fuzz");
        String p = "/" + u.username();
        ok(api.post(p + "/streams", u.token(), Map.of("id", "s", "name", "s")), 201);
        String eventId = ok(api.post(p + "/events", u.token(), Map.of("streamIds", List.of("s"), "type", "note/txt",
                "content", "kept")), 201).body().get("event").get("id").asText();
        JsonNode app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "fuzz-app",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage"))));
        String appToken = app.get("token").asText();
        String hookId = ok(api.post(p + "/webhooks", appToken, Map.of("type", "log", "url", "fuzz-label")), 201)
                .body().get("webhook").get("id").asText();
        String before = state(u, p, eventId, hookId, appToken);
        User other = api.newUser("fuzzother");

        List<Route> routes = List.of(
                new Route("POST", p + "/events", true), new Route("GET", p + "/events", false),
                new Route("GET", p + "/events/" + eventId, false), new Route("PUT", p + "/events/" + eventId, true),
                new Route("DELETE", p + "/events/{id}", false), new Route("POST", p + "/streams", true),
                new Route("GET", p + "/streams", false), new Route("PUT", p + "/streams/s", true),
                new Route("DELETE", p + "/streams/{id}", false), new Route("POST", p + "/accesses", true),
                new Route("GET", p + "/accesses", false), new Route("DELETE", p + "/accesses/{id}", false),
                new Route("GET", p + "/access-info", false), new Route("POST", p + "/accesses/check-app", true),
                new Route("POST", p + "/auth/login", true), new Route("POST", p + "/auth/logout", true),
                new Route("POST", p + "/", true), new Route("POST", p + "/webhooks", true),
                new Route("GET", p + "/webhooks", false), new Route("GET", p + "/webhooks/" + hookId, false),
                new Route("PUT", p + "/webhooks/" + hookId, true), new Route("DELETE", p + "/webhooks/{id}", false),
                new Route("POST", p + "/webhooks/" + hookId + "/test", true),
                new Route("POST", "/system/create-user", true), new Route("GET", "/system/notifiers", false));

        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            Route route = routes.get(random.nextInt(routes.size()));
            String kind = pick("body", "body", "body", "token", "method", "id", "encoding");
            String method = route.method();
            String path = route.path().replace("{id}", "no-such-" + i);
            String token = route.path().startsWith("/system") ? TestApps.ADMIN_KEY
                    : route.path().contains("/webhooks") ? appToken : u.token();
            Object body = route.takesBody() ? badBody() : null;
            Map<String, String> headers = new HashMap<>();
            switch (kind) {
                case "token" -> token = pick("", "not-a-token", "Basic !!!", "Basic " + Base64.getEncoder()
                        .encodeToString(":".getBytes()), other.token(), "x".repeat(5000), u.token() + " extra");
                case "method" -> method = pick("PATCH", "TRACE", "FOO", "PROPFIND");
                case "id" -> path = route.path().replaceAll("/[^/]+$", "/" + pick("%00", "%FF", "%C0%AE", "%2e%2e",
                        "a%2Fb", "%5C", "UPPER", "x".repeat(300), "%E2%80%AE", "..%2F"));
                case "encoding" -> {
                    body = pick(new byte[]{(byte) 0xFF, (byte) 0xFE, 0, 0}, new byte[]{(byte) 0xC3, 0x28},
                            "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8),
                            "{\"name\": 1}".getBytes(StandardCharsets.UTF_16LE), new byte[]{0, 0, 0});
                    headers.put("Content-Type", pick("application/json; charset=utf-16", "text/plain",
                            "application/x-www-form-urlencoded", "application/json"));
                }
                default -> {
                    // body: a bad body on its own route
                }
            }
            if (!token.isEmpty()) headers.put("Authorization", token);
            if (body == null && (method.equals("POST") || method.equals("PUT"))) body = badBody();
            String described = kind + " " + method + " " + path.substring(0, Math.min(80, path.length()))
                    + (body instanceof String t ? " " + t.substring(0, Math.min(60, t.length())) : "");
            Reply r;
            try {
                r = api.sendWithHeaders(method, path, headers, body);
            } catch (RuntimeException e) {
                throw new AssertionError("no answer to " + described, e);
            }
            assertThat(r.status()).as("%s: %s", described, r.body()).isLessThan(500);
            enveloped(r);
            if (r.status() >= 400) {
                assertThat(r.errorId()).as("%s: %s", described, r.body()).isIn(DOCUMENTED_IDS);
            }
            outcomes.merge(r.status() + " " + r.errorId(), 1, Integer::sum);
        }
        System.out.println("GeneratedBadInputTest: " + REQUESTS + " requests, answers " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);

        assertThat(state(u, p, eventId, hookId, appToken)).as("what was written before").isEqualTo(before);
        Reply health = new ApiClient("http://127.0.0.1:" + APP.getAdminPort()).get("/healthcheck", null);
        assertThat(health.status()).as(health.body().toString()).isEqualTo(200);
    }

    /** The items written before, as the API shows them (without what reading itself changes). */
    private String state(User u, String p, String eventId, String hookId, String appToken) {
        JsonNode event = ok(api.get(p + "/events/" + eventId, u.token()), 200).body().get("event");
        JsonNode streams = ok(api.get(p + "/streams?state=all", u.token()), 200).body().get("streams");
        JsonNode hook = ok(api.get(p + "/webhooks/" + hookId, appToken), 200).body().get("webhook");
        return event + "|" + streams.get(0) + "|" + hook.get("url") + hook.get("state") + hook.get("settings");
    }

    /** A body that cannot be valid for any route. */
    private Object badBody() {
        int n = random.nextInt(12);
        return switch (n) {
            case 0 -> "{";
            case 1 -> "[" + "[".repeat(random.nextInt(2000)) + "]";
            case 2 -> "{\"content\": " + "[".repeat(600) + "]".repeat(600) + "}";
            case 3 -> "{\"name\": " + random.nextInt() + ", \"streamIds\": \"s\", \"type\": 42, \"state\": []}";
            case 4 -> "{\"x\": \"" + "y".repeat(200_000 + random.nextInt(100_000)) + "\"}";
            case 5 -> "{\"time\": 1e" + (300 + random.nextInt(200)) + ", \"unknownField\": true}";
            case 6 -> "{\"a\": 1} trailing";
            case 7 -> "nul";
            case 8 -> "{\"username\": \"" + "\\u0000".repeat(10) + "\", \"password\": null, \"bogus\": {}}";
            case 9 -> "{\"url\": \"http://0177.0.0.1:99999/\", \"permissions\": \"all\", \"update\": 1}";
            case 10 -> "\"just a string\"";
            default -> "{\"" + "k".repeat(random.nextInt(50)) + "\": NaN}";
        };
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
