package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The few Hookline API calls the scenarios need to set up users, accesses and webhooks (docs/API.md 2, 3, 4, 7, 8). */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM = "bench";
    /**
     * Set-up calls are not measured, and a batch of 1,000 webhooks on PostgreSQL can take longer than a request's
     * usual 30 s on a loaded machine.
     */
    private static final int SETUP_TIMEOUT_MS = 180_000;

    /** A user ready for the scenarios: a stream, an app access allowed to contribute to it, and its token. */
    record User(String name, String personalToken, String appToken) {
        String events() {
            return "/" + name + "/events";
        }

        String accessInfo() {
            return "/" + name + "/access-info";
        }
    }

    private final HooklineProcess server;

    Api(HooklineProcess server) {
        this.server = server;
    }

    /** Creates a user, its {@value #STREAM} stream and an app access (3 requests). */
    User createUser(Http http, String name) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("username", name);
        Http.Response r = http.post("/system/create-user", server.adminKey, bytes(body));
        expect(r, 201, "create-user " + name);
        String personal = JSON.readTree(r.body()).path("token").asText();
        ArrayNode batch = JSON.createArrayNode();
        batch.addObject().put("method", "streams.create").putObject("params").put("id", STREAM).put("name", STREAM);
        ObjectNode access = batch.addObject().put("method", "accesses.create").putObject("params");
        access.put("type", "app").put("name", "bench-app");
        access.putArray("permissions").addObject().put("streamId", STREAM).put("level", "contribute");
        JsonNode results = batch(http, name, personal, batch);
        String app = results.path(1).path("access").path("token").asText(null);
        if (app == null) throw new IOException("no app access for " + name + ": " + results);
        return new User(name, personal, app);
    }

    /** Creates the webhooks of {@code urls} with the user's app access, in batch calls of at most 1000. */
    void createWebhooks(Http http, User u, List<String> urls) throws IOException {
        createWebhooks(http, u, urls, null);
    }

    /** As above; with {@code scopes} not null, each webhook is scoped (told only of matching changes, by key). */
    void createWebhooks(Http http, User u, List<String> urls, JsonNode scopes) throws IOException {
        for (int from = 0; from < urls.size(); from += 1000) {
            ArrayNode batch = JSON.createArrayNode();
            for (String url : urls.subList(from, Math.min(urls.size(), from + 1000))) {
                ObjectNode params = batch.addObject().put("method", "webhooks.create").putObject("params");
                params.put("url", url);
                if (scopes != null) params.set("scopes", scopes);
            }
            JsonNode results = batch(http, u.name(), u.appToken(), batch);
            for (JsonNode res : results) {
                if (!res.has("webhook")) throw new IOException("webhooks.create failed for " + u.name() + ": " + res);
            }
        }
    }

    /** Runs {@code task(http, i)} for i in [0, count) on {@code threads} threads, each with its own connection. */
    <T> List<T> parallel(int count, int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<T>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    List<T> out = new ArrayList<>();
                    try (Http http = new Http(server.port, SETUP_TIMEOUT_MS)) {
                        for (int i = first; i < count; i += threads) out.add(task.run(http, i));
                    }
                    return out;
                }));
            }
            // re-interleave so that result i belongs to input i
            List<List<T>> lists = new ArrayList<>();
            for (Future<List<T>> f : parts) lists.add(f.get());
            List<T> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) out.add(lists.get(i % threads).get(i / threads));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    interface Task<T> {
        T run(Http http, int i) throws Exception;
    }

    JsonNode batch(Http http, String user, String token, ArrayNode calls) throws IOException {
        Http.Response r = http.post("/" + user + "/", token, bytes(calls));
        expect(r, 200, "batch for " + user);
        JsonNode results = JSON.readTree(r.body()).path("results");
        for (JsonNode res : results) {
            if (res.has("error")) throw new IOException("batch call failed for " + user + ": " + res);
        }
        return results;
    }

    /** The body of the events the scenarios create. */
    static byte[] eventBody(int n) {
        return ("{\"streamIds\":[\"" + STREAM + "\"],\"type\":\"count/steps\",\"content\":" + n + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(JsonNode node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    static void expect(Http.Response r, int status, String what) throws IOException {
        if (r.status() != status) {
            throw new IOException(what + ": expected " + status + ", got " + r.status() + " " + r.text());
        }
    }
}
