package io.hookline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A plain HTTP client for tests: real requests on loopback, JSON in and out. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEQ = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(String base) {
        this.base = base;
    }

    public String base() {
        return base;
    }

    /** An answer: status, parsed body, headers, and the body's text as it came. */
    public record Reply(int status, JsonNode body, java.net.http.HttpHeaders headers, String text) {
        public String errorId() {
            return body.path("error").path("id").asText(null);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** A created user: its name and personal token. */
    public record User(String username, String token) {
        /** {@code /<username><rest>}: a path of this user's API. */
        public String path(String rest) {
            return "/" + username + rest;
        }
    }

    /** A new user with a unique name starting with {@code prefix} (a few lowercase letters). */
    public User newUser(String prefix) {
        return createUser(prefix + "-" + Long.toString(SEQ.incrementAndGet(), 36) + "-"
                + Long.toString(System.nanoTime() & 0xffffffffL, 36));
    }

    /**
     * For a user made by {@link #newUser}: a root stream {@code steps} and an app access named {@code sync} that
     * manages everything: the step-counter server of the story. Returns that access's token.
     */
    public String newStepsApp(User owner) {
        String token = createAccess(owner, owner.token(), Map.of("type", "app", "name", "sync",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
        Reply s = post(owner.path("/streams"), token, Map.of("id", "steps", "name", "Steps"));
        if (s.status() != 201) throw new IllegalStateException("streams.create failed: " + s.body());
        return token;
    }

    /** Parses JSON text, for bodies that hold {@code null}s or read better as JSON. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public User createUser(String username) {
        Reply r = send("POST", "/system/create-user", TestApps.ADMIN_KEY, Map.of("username", username));
        if (r.status() != 201) throw new IllegalStateException("create-user failed: " + r.body());
        return new User(username, r.body().get("token").asText());
    }

    /** Creates an access with the personal (or other) token and returns the new access object. */
    public JsonNode createAccess(User user, String token, Object access) {
        Reply r = post("/" + user.username() + "/accesses", token, access);
        if (r.status() != 201) throw new IllegalStateException("accesses.create failed: " + r.body());
        return r.body().get("access");
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Reply put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** Sends a body as given: a String is sent raw (for malformed JSON), anything else as JSON. */
    public Reply send(String method, String path, String token, Object body) {
        return sendWithHeaders(method, path, token == null ? Map.of() : Map.of("Authorization", token), body);
    }

    /** A POST of a multipart body (files), streamed. */
    public Reply postMultipart(String path, String token, Multipart body) {
        return sendWithHeaders("POST", path, token == null ? Map.of("Content-Type", body.contentType())
                : Map.of("Authorization", token, "Content-Type", body.contentType()), body.publisher());
    }

    /** A GET answered with bytes: status, headers and body. */
    public HttpResponse<byte[]> getBytes(String path, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            if (token != null) b.header("Authorization", token);
            return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #send(String, String, String, Object)} with any request headers (Basic auth, Origin...). */
    public Reply sendWithHeaders(String method, String path, Map<String, String> headers, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            headers.forEach(b::header);
            HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
            if (body instanceof HttpRequest.BodyPublisher p) {
                publisher = p;
            } else if (body instanceof String s) {
                publisher = HttpRequest.BodyPublishers.ofString(s);
            } else if (body instanceof byte[] bytes) {
                publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
            } else if (body != null) {
                publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            }
            if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, publisher);
            HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = res.body().length == 0 ? JSON.nullNode() : JSON.readTree(res.body());
            return new Reply(res.statusCode(), parsed, res.headers(),
                    new String(res.body(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
