package io.hookline.auth;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hookline.support.Replies.enveloped;
import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The permission matrix over HTTP: app and shared accesses × read, create-only, contribute, manage × a permission
 * inherited from a parent, overridden by a more specific child permission, given by "*", or "*" overridden on the
 * child; and the personal access. Each case checks what the access may do with streams and events.
 *
 * <p>Tree of each case: {@code top > mid > leaf}, and {@code other} at the root; one event in each of top, mid, other.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PermissionMatrixTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    enum Shape {
        /** {top: L}: mid inherits L. */
        INHERITED,
        /** {top: X, mid: L}: the child's own permission wins over the parent's. */
        OVERRIDDEN,
        /** {*: L}. */
        STAR,
        /** {*: X, mid: L}. */
        STAR_OVERRIDDEN
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String type : List.of("app", "shared")) {
            for (String level : List.of("read", "create-only", "contribute", "manage")) {
                for (Shape shape : Shape.values()) out.add(Arguments.of(type, level, shape));
            }
        }
        return out.stream();
    }

    /** What a level allows; null is "no permission at all". */
    private static boolean reads(String level) {
        return level != null && !level.equals("create-only");
    }

    private static boolean creates(String level) {
        return level != null && !level.equals("read");
    }

    private static boolean contributes(String level) {
        return "contribute".equals(level) || "manage".equals(level);
    }

    private static boolean manages(String level) {
        return "manage".equals(level);
    }

    private static Map<String, String> perm(String stream, String level) {
        return Map.of("streamId", stream, "level", level);
    }

    private record Setup(User user, Map<String, String> events) {
    }

    private Setup tree() {
        User u = api.newUser("matrix");
        // One batch builds the tree and its events (REST and batch run the same methods).
        List<Map<String, Object>> calls = new ArrayList<>();
        for (String[] s : new String[][] {{"top", null}, {"mid", "top"}, {"leaf", "mid"}, {"other", null}}) {
            Map<String, Object> params = new HashMap<>(Map.of("id", s[0], "name", s[0]));
            if (s[1] != null) params.put("parentId", s[1]);
            calls.add(Map.of("method", "streams.create", "params", params));
        }
        List<String> withEvents = List.of("top", "mid", "other");
        for (String s : withEvents) {
            calls.add(Map.of("method", "events.create", "params", Map.of("streamIds", List.of(s), "type", "note/txt",
                    "content", "in " + s)));
        }
        JsonNode results = ok(api.post(p(u, "/"), u.token(), calls), 200).body().get("results");
        Map<String, String> events = new HashMap<>();
        for (int i = 0; i < withEvents.size(); i++) {
            events.put(withEvents.get(i), results.get(4 + i).get("event").get("id").asText());
        }
        return new Setup(u, events);
    }

    private static String p(User u, String rest) {
        return "/" + u.username() + rest;
    }

    private String createEvent(User u, String token, String stream, int expected) {
        Reply r = api.post(p(u, "/events"), token, Map.of("streamIds", List.of(stream), "type", "note/txt",
                "content", "in " + stream));
        if (expected == 201) return ok(r, 201).body().get("event").get("id").asText();
        error(r, expected, "forbidden");
        return null;
    }

    /** Expects success (with {@code okStatus}) when allowed, else 403 forbidden. */
    private static void allowedOrForbidden(Reply r, boolean allowed, int okStatus, String what) {
        enveloped(r);
        if (allowed) {
            assertThat(r.status()).as("%s should be allowed: %s", what, r.body()).isEqualTo(okStatus);
        } else {
            assertThat(r.status()).as("%s should be forbidden: %s", what, r.body()).isEqualTo(403);
            assertThat(r.errorId()).as(what).isEqualTo("forbidden");
        }
    }

    @ParameterizedTest(name = "{0} with {1}, {2}")
    @MethodSource("cases")
    void whatEachAccessMayDo(String type, String level, Shape shape) {
        Setup s = tree();
        User u = s.user();
        String contrast = level.equals("manage") ? "read" : "manage";
        List<Map<String, String>> perms = switch (shape) {
            case INHERITED -> List.of(perm("top", level));
            case OVERRIDDEN -> List.of(perm("top", contrast), perm("mid", level));
            case STAR -> List.of(perm("*", level));
            case STAR_OVERRIDDEN -> List.of(perm("*", contrast), perm("mid", level));
        };
        String onMid = level;
        String onTop = shape == Shape.OVERRIDDEN || shape == Shape.STAR_OVERRIDDEN ? contrast : level;
        String onOther = switch (shape) {
            case INHERITED, OVERRIDDEN -> null;
            case STAR -> level;
            case STAR_OVERRIDDEN -> contrast;
        };
        String token = api.createAccess(u, u.token(), Map.of("type", type, "name", "matrix-access",
                "permissions", perms)).get("token").asText();

        // Which streams it sees: every stream where it has a level (create-only included).
        List<String> visible = new ArrayList<>();
        collect(ok(api.get(p(u, "/streams"), token), 200).body().get("streams"), visible);
        assertThat(visible).contains("mid", "leaf").doesNotContainNull();
        assertThat(visible.contains("top")).as("sees top").isEqualTo(onTop != null);
        assertThat(visible.contains("other")).as("sees other").isEqualTo(onOther != null);

        // Reading events.
        Map<String, String> onStream = new HashMap<>();
        onStream.put("top", onTop);
        onStream.put("mid", onMid);
        onStream.put("other", onOther);
        List<String> listed = ids(ok(api.get(p(u, "/events?limit=100"), token), 200).body().get("events"));
        for (String stream : List.of("top", "mid", "other")) {
            String event = s.events().get(stream);
            boolean canRead = reads(onStream.get(stream));
            assertThat(listed.contains(event)).as("events.get lists the event in %s", stream).isEqualTo(canRead);
            allowedOrForbidden(api.get(p(u, "/events/" + event), token), canRead, 200, "getOne in " + stream);
            Reply byStream = api.get(p(u, "/events?streams=" + stream), token);
            allowedOrForbidden(byStream, canRead, 200, "events.get streams=" + stream);
            if (canRead) assertThat(ids(byStream.body().get("events"))).contains(event);
        }
        // Asking for a parent returns only the readable part of it.
        if (reads(onMid) && !reads(onTop)) {
            List<String> fromTop = ids(ok(api.get(p(u, "/events?streams=top"), token), 200).body().get("events"));
            assertThat(fromTop).contains(s.events().get("mid")).doesNotContain(s.events().get("top"));
        }

        // Writing events.
        createEvent(u, token, "mid", creates(onMid) ? 201 : 403);
        createEvent(u, token, "leaf", creates(onMid) ? 201 : 403);
        createEvent(u, token, "top", creates(onTop) ? 201 : 403);
        if (onOther == null || !creates(onOther)) createEvent(u, token, "other", 403);
        String midEvent = s.events().get("mid");
        allowedOrForbidden(api.put(p(u, "/events/" + midEvent), token, Map.of("content", "changed")),
                contributes(onMid), 200, "events.update in mid");
        allowedOrForbidden(api.put(p(u, "/events/" + s.events().get("top")), token, Map.of("content", "changed")),
                contributes(onTop), 200, "events.update in top");
        // Moving an event needs contribute on both sides.
        if (contributes(onMid) && !contributes(onTop)) {
            error(api.put(p(u, "/events/" + midEvent), token, Map.of("streamIds", List.of("top"))), 403, "forbidden");
        }
        allowedOrForbidden(api.delete(p(u, "/events/" + midEvent), token), contributes(onMid), 200,
                "events.delete in mid");

        // Managing streams.
        allowedOrForbidden(api.post(p(u, "/streams"), token, Map.of("name", "new child", "parentId", "mid")),
                manages(onMid), 201, "streams.create under mid");
        allowedOrForbidden(api.post(p(u, "/streams"), token, Map.of("name", "new child", "parentId", "top")),
                manages(onTop), 201, "streams.create under top");
        allowedOrForbidden(api.put(p(u, "/streams/mid"), token, Map.of("clientData", Map.of("k", 1))),
                manages(onMid), 200, "streams.update mid");
        allowedOrForbidden(api.delete(p(u, "/streams/leaf"), token), manages(onMid), 200, "streams.delete leaf");
        if (!manages(onOther)) {
            Reply root = api.post(p(u, "/streams"), token, Map.of("name", "new root"));
            error(root, 403, "forbidden");
            allowedOrForbidden(api.put(p(u, "/streams/other"), token, Map.of("name", "x")), false, 200,
                    "streams.update other");
        }
        if (manages(onMid) && !manages(onTop)) {
            // Managing mid is not enough to move it out of top.
            error(api.put(p(u, "/streams/mid"), token, Map.of("parentId", "other")), 403, "forbidden");
        }

        // Accesses: an app shares what it has; a shared access cannot.
        Reply share = api.post(p(u, "/accesses"), token, Map.of("type", "shared", "name", "onward",
                "permissions", List.of(perm("mid", level))));
        allowedOrForbidden(share, type.equals("app"), 201, "accesses.create shared on mid");
        allowedOrForbidden(api.get(p(u, "/accesses"), token), type.equals("app"), 200, "accesses.get");
        if (type.equals("app") && !manages(level)) {
            error(api.post(p(u, "/accesses"), token, Map.of("type", "shared", "name", "above",
                    "permissions", List.of(perm("mid", "manage")))), 403, "forbidden");
        }
    }

    @Test
    void personalMayDoEverything() {
        Setup s = tree();
        User u = s.user();
        String t = u.token();
        List<String> visible = new ArrayList<>();
        collect(ok(api.get(p(u, "/streams"), t), 200).body().get("streams"), visible);
        assertThat(visible).containsExactlyInAnyOrder("top", "mid", "leaf", "other");
        assertThat(ids(ok(api.get(p(u, "/events"), t), 200).body().get("events")))
                .containsExactlyInAnyOrderElementsOf(s.events().values());
        createEvent(u, t, "leaf", 201);
        ok(api.put(p(u, "/events/" + s.events().get("other")), t, Map.of("content", 1)), 200);
        ok(api.delete(p(u, "/events/" + s.events().get("other")), t), 200);
        ok(api.post(p(u, "/streams"), t, Map.of("name", "root")), 201);
        ok(api.put(p(u, "/streams/mid"), t, Map.of("parentId", "other")), 200);
        ok(api.delete(p(u, "/streams/top"), t), 200);
    }

    private static void collect(JsonNode streams, List<String> into) {
        for (JsonNode s : streams) {
            into.add(s.get("id").asText());
            collect(s.get("children"), into);
        }
    }
}
