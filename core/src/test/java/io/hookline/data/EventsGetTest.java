package io.hookline.data;

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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** events.get and each of its parameters, and syncing with modifiedSince (docs/API.md section 6). */
@ExtendWith(DropwizardExtensionsSupport.class)
class EventsGetTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    /** A user with streams a > a1 > a2, b, c and events e1..e6 (e6 trashed); names map to ids. */
    private record Data(User user, Map<String, String> ids) {
        String id(String name) {
            return ids.get(name);
        }
    }

    private Data data() {
        User u = api.newUser("get");
        stream(u, "a", null);
        stream(u, "a1", "a");
        stream(u, "a2", "a1");
        stream(u, "b", null);
        stream(u, "c", null);
        Map<String, String> ids = new HashMap<>();
        ids.put("e1", event(u, "a", "note/txt", 100, null, false));
        ids.put("e2", event(u, "a1", "note/html", 200, 50.0, false));
        ids.put("e3", event(u, "a2", "mass/kg", 300, null, false));
        ids.put("e4", event(u, "b", "note/txt", 400, null, false));
        ids.put("e5", event(u, "c", "count/steps", 500, null, false));
        ids.put("e6", event(u, "b", "note/txt", 600, null, true));
        return new Data(u, ids);
    }

    private void stream(User u, String id, String parent) {
        Map<String, Object> body = new HashMap<>(Map.of("id", id, "name", id));
        if (parent != null) body.put("parentId", parent);
        ok(api.post("/" + u.username() + "/streams", u.token(), body), 201);
    }

    private String event(User u, String stream, String type, double time, Double duration, boolean trashed) {
        Map<String, Object> body = new HashMap<>(Map.of("streamIds", List.of(stream), "type", type, "time", time,
                "trashed", trashed));
        if (duration != null) body.put("duration", duration);
        return ok(api.post("/" + u.username() + "/events", u.token(), body), 201).body().get("event").get("id")
                .asText();
    }

    private Reply get(User u, String query) {
        return ok(api.get("/" + u.username() + "/events" + query, u.token()), 200);
    }

    /** The names (e1...) of the events a query returns, in order. */
    private List<String> names(Data d, String query) {
        Map<String, String> byId = new HashMap<>();
        d.ids().forEach((name, id) -> byId.put(id, name));
        List<String> out = new ArrayList<>();
        for (String id : ids(get(d.user(), query).body().get("events"))) out.add(byId.getOrDefault(id, id));
        return out;
    }

    /** The times of the events a query returns, in order. */
    private List<Double> times(User u, String query) {
        return times(u, u.token(), query);
    }

    private List<Double> times(User u, String token, String query) {
        List<Double> out = new ArrayList<>();
        for (JsonNode e : ok(api.get("/" + u.username() + "/events" + query, token), 200).body().get("events")) {
            out.add(e.get("time").asDouble());
        }
        return out;
    }

    /**
     * A stream holding at least {@link EventStore#FEW_IN_STREAMS} events is read by walking the user's events from
     * the newest, one holding fewer from its own events: both give the answer the parameters ask for.
     */
    @Test
    void aStreamHoldingManyEventsAnswersAsOneHoldingFew() {
        User u = api.newUser("many");
        stream(u, "many", null);
        stream(u, "child", "many");
        stream(u, "few", null);
        int n = EventStore.FEW_IN_STREAMS;
        for (int from = 1; from <= n; from += 1000) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (int t = from; t < from + 1000 && t <= n; t++) {
                calls.add(Map.of("method", "events.create", "params", Map.of("streamIds", List.of("many"),
                        "type", "count/steps", "time", t, "content", t)));
            }
            JsonNode results = ok(api.post("/" + u.username(), u.token(), calls), 200).body().get("results");
            assertThat(results.findValues("error")).isEmpty();
        }
        String inChild = event(u, "child", "note/txt", 1500.5, null, false);
        event(u, "few", "note/txt", 10, null, false);
        event(u, "few", "note/txt", 3000, null, false);
        event(u, "many", "count/steps", 2500, null, true); // trashed

        assertThat(times(u, "?streams=many&limit=3")).containsExactly((double) n, n - 1.0, n - 2.0);
        assertThat(times(u, "?streams=many&limit=3&skip=" + (n - 2))).as("past the child's event")
                .containsExactly(3.0, 2.0, 1.0);
        assertThat(times(u, "?streams=many&sortAscending=true&limit=2")).containsExactly(1.0, 2.0);
        assertThat(times(u, "?streams=many&fromTime=1500&toTime=1501")).containsExactly(1501.0, 1500.5, 1500.0);
        assertThat(times(u, "?streams=many&types=note/txt")).containsExactly(1500.5);
        assertThat(times(u, "?streams=many&state=trashed")).containsExactly(2500.0);
        assertThat(times(u, "?streams=few")).containsExactly(3000.0, 10.0);
        assertThat(times(u, "?streams=few&streams=child&limit=3")).containsExactly(3000.0, 1500.5, 10.0);
        assertThat(times(u, "?streams=many&streams=few&limit=3")).containsExactly(3000.0, (double) n, n - 1.0);

        // An app access that reads "many" only (its events and its child's), without naming streams.
        JsonNode app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "reader",
                "permissions", List.of(Map.of("streamId", "many", "level", "read"))));
        assertThat(times(u, app.get("token").asText(), "?limit=2")).containsExactly((double) n, n - 1.0);

        // A sync of the big stream: one change and one deletion under it, one change elsewhere.
        double since = get(u, "").body().get("meta").get("serverTime").asDouble();
        String newest = get(u, "?streams=many&limit=1").body().get("events").get(0).get("id").asText();
        ok(api.put("/" + u.username() + "/events/" + newest, u.token(), Map.of("content", "changed")), 200);
        ok(api.delete("/" + u.username() + "/events/" + inChild, u.token()), 200);
        ok(api.delete("/" + u.username() + "/events/" + inChild, u.token()), 200);
        event(u, "few", "note/txt", 20, null, false);
        String sync = "?includeDeletions=true&state=all&modifiedSince=" + since;
        JsonNode many = get(u, sync + "&streams=many").body();
        assertThat(ids(many.get("events"))).containsExactly(newest);
        assertThat(ids(many.get("eventDeletions"))).containsExactly(inChild);
        assertThat(times(u, app.get("token").asText(), sync)).containsExactly((double) n);
        assertThat(times(u, sync + "&streams=few")).containsExactly(20.0);
        assertThat(get(u, sync + "&streams=few").body().get("eventDeletions")).isEmpty();
    }

    @Test
    void byDefaultNewestFirstWithoutTrashed() {
        Data d = data();
        assertThat(names(d, "")).containsExactly("e5", "e4", "e3", "e2", "e1");
        assertThat(names(d, "?sortAscending=true")).containsExactly("e1", "e2", "e3", "e4", "e5");
        assertThat(names(d, "?sortAscending=false")).containsExactly("e5", "e4", "e3", "e2", "e1");
    }

    @Test
    void streamsIncludeDescendantsInEveryQueryStringForm() {
        Data d = data();
        assertThat(names(d, "?streams=a")).containsExactly("e3", "e2", "e1");
        assertThat(names(d, "?streams=a1")).containsExactly("e3", "e2");
        assertThat(names(d, "?streams[]=a1&streams[]=b")).containsExactly("e4", "e3", "e2");
        assertThat(names(d, "?streams%5B%5D=a2&streams%5B%5D=c")).containsExactly("e5", "e3");
        assertThat(names(d, "?streams=a2&streams=c")).containsExactly("e5", "e3");
        assertThat(names(d, "?streams[]=c")).containsExactly("e5");
        Reply unknown = error(api.get("/" + d.user().username() + "/events?streams=a&streams=ghost",
                d.user().token()), 400, "unknown-referenced-resource");
        assertThat(unknown.body().get("error").get("data").get("streamIds").toString()).isEqualTo("[\"ghost\"]");
    }

    @Test
    void anEventInTwoStreamsIsFoundThroughEachAndOnlyThroughThem() {
        Data d = data();
        User u = d.user();
        String both = ok(api.post("/" + u.username() + "/events", u.token(), Map.of("streamIds", List.of("a2", "c"),
                "type", "note/txt", "time", 700)), 201).body().get("event").get("id").asText();
        assertThat(names(d, "?streams=a")).containsExactly(both, "e3", "e2", "e1");
        assertThat(names(d, "?streams=c")).containsExactly(both, "e5");
        assertThat(names(d, "?streams=b")).containsExactly("e4");
        ok(api.put("/" + u.username() + "/events/" + both, u.token(), Map.of("streamIds", List.of("b"))), 200);
        assertThat(names(d, "?streams=a")).containsExactly("e3", "e2", "e1");
        assertThat(names(d, "?streams=c")).containsExactly("e5");
        assertThat(names(d, "?streams=b")).containsExactly(both, "e4");
    }

    @Test
    void typesExactOrByClass() {
        Data d = data();
        assertThat(names(d, "?types=note/txt")).containsExactly("e4", "e1");
        assertThat(names(d, "?types[]=note/*")).containsExactly("e4", "e2", "e1");
        assertThat(names(d, "?types=note/*&types=mass/kg")).containsExactly("e4", "e3", "e2", "e1");
        assertThat(names(d, "?types=note/html&streams=b")).isEmpty();
        assertThat(names(d, "?types=unknown/type")).isEmpty();
        for (String bad : List.of("note", "note/*x", "*/*", "NOTE/txt", "note/txt/x")) {
            error(api.get("/" + d.user().username() + "/events?types=" + bad, d.user().token()), 400,
                    "invalid-parameters-format");
        }
    }

    @Test
    void fromTimeAndToTime() {
        Data d = data();
        // e2 runs from 200 to 250: it overlaps a period starting at 220.
        assertThat(names(d, "?fromTime=220")).containsExactly("e5", "e4", "e3", "e2");
        assertThat(names(d, "?fromTime=251")).containsExactly("e5", "e4", "e3");
        assertThat(names(d, "?toTime=300")).containsExactly("e3", "e2", "e1");
        assertThat(names(d, "?fromTime=150&toTime=300")).containsExactly("e3", "e2");
        assertThat(names(d, "?fromTime=150.5&toTime=299.99")).containsExactly("e2");
        assertThat(names(d, "?fromTime=1000")).isEmpty();
        error(api.get("/" + d.user().username() + "/events?fromTime=yesterday", d.user().token()), 400,
                "invalid-parameters-format");
        error(api.get("/" + d.user().username() + "/events?toTime=1e999", d.user().token()), 400,
                "invalid-parameters-format");
    }

    @Test
    void state() {
        Data d = data();
        assertThat(names(d, "?state=default")).containsExactly("e5", "e4", "e3", "e2", "e1");
        assertThat(names(d, "?state=trashed")).containsExactly("e6");
        assertThat(names(d, "?state=all")).containsExactly("e6", "e5", "e4", "e3", "e2", "e1");
        error(api.get("/" + d.user().username() + "/events?state=deleted", d.user().token()), 400,
                "invalid-parameters-format");
    }

    @Test
    void skipAndLimit() {
        Data d = data();
        assertThat(names(d, "?limit=2")).containsExactly("e5", "e4");
        assertThat(names(d, "?skip=1&limit=2")).containsExactly("e4", "e3");
        assertThat(names(d, "?skip=4")).containsExactly("e1");
        assertThat(names(d, "?skip=5")).isEmpty();
        assertThat(names(d, "?skip=2147483647")).isEmpty();
        assertThat(names(d, "?sortAscending=true&skip=1&limit=1")).containsExactly("e2");
        String base = "/" + d.user().username() + "/events";
        for (String bad : List.of("limit=-1", "skip=-1", "limit=abc", "limit=1.5", "skip=x", "limit=",
                "limit=999999999999999999999999")) {
            error(api.get(base + "?" + bad, d.user().token()), 400, "invalid-parameters-format");
        }
    }

    @Test
    void defaultLimitIsTwentyAlsoWithModifiedSince() {
        User u = api.newUser("limit");
        stream(u, "s", null);
        double since = get(u, "").body().get("meta").get("serverTime").asDouble();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            calls.add(Map.of("method", "events.create",
                    "params", Map.of("streamIds", List.of("s"), "type", "count/n", "content", i, "time", 1000 + i)));
        }
        JsonNode results = ok(api.post("/" + u.username() + "/", u.token(), calls), 200).body().get("results");
        results.forEach(r -> assertThat(r.has("event")).as(r.toString()).isTrue());

        JsonNode events = get(u, "").body().get("events");
        assertThat(events).hasSize(20);
        assertThat(events.get(0).get("content").asInt()).isEqualTo(24);
        assertThat(get(u, "?modifiedSince=" + since).body().get("events")).hasSize(20);
        assertThat(get(u, "?limit=25").body().get("events")).hasSize(25);
        assertThat(get(u, "?limit=100").body().get("events")).hasSize(25);
        // A time range without a limit is not cut at 20.
        assertThat(get(u, "?fromTime=0").body().get("events")).hasSize(25);
        assertThat(get(u, "?toTime=5000").body().get("events")).hasSize(25);
        assertThat(get(u, "?skip=20").body().get("events")).hasSize(5);
    }

    @Test
    void unknownParametersAreListed() {
        Data d = data();
        Reply r = error(api.get("/" + d.user().username() + "/events?colour=red&limit=x&sortAscending=maybe",
                d.user().token()), 400, "invalid-parameters-format");
        List<String> params = new ArrayList<>();
        r.body().get("error").get("data").forEach(p -> params.add(p.get("param").asText()));
        assertThat(params).containsExactlyInAnyOrder("colour", "limit", "sortAscending");
    }

    /** The webhook receiver's read: what changed since the serverTime of my last answer, exactly. */
    @Test
    void modifiedSinceReturnsExactlyWhatChangedAfterTheLastServerTime() {
        Data d = data();
        User u = d.user();
        double t1 = get(u, "").body().get("meta").get("serverTime").asDouble();
        String sync = "?includeDeletions=true&state=all&limit=1000&modifiedSince=";
        JsonNode nothing = get(u, sync + t1).body();
        assertThat(nothing.get("events")).isEmpty();
        assertThat(nothing.get("eventDeletions")).isEmpty();

        String e7 = event(u, "c", "note/txt", 50, null, false);
        ok(api.put("/" + u.username() + "/events/" + d.id("e1"), u.token(), Map.of("content", "changed")), 200);
        ok(api.delete("/" + u.username() + "/events/" + d.id("e2"), u.token()), 200);
        ok(api.delete("/" + u.username() + "/events/" + d.id("e6"), u.token()), 200);

        JsonNode changed = get(u, sync + t1).body();
        assertThat(ids(changed.get("events"))).containsExactlyInAnyOrder(e7, d.id("e1"), d.id("e2"));
        assertThat(ids(changed.get("eventDeletions"))).containsExactly(d.id("e6"));
        double deletedAt = changed.get("eventDeletions").get(0).get("deleted").asDouble();
        assertThat(deletedAt).isGreaterThan(t1);
        // state=default hides the trashed one, deletions are still told.
        JsonNode visible = get(u, "?includeDeletions=true&modifiedSince=" + t1).body();
        assertThat(ids(visible.get("events"))).containsExactlyInAnyOrder(e7, d.id("e1"));
        assertThat(ids(visible.get("eventDeletions"))).containsExactly(d.id("e6"));

        // Rounds of changes, each synced from the previous answer's serverTime.
        double since = changed.get("meta").get("serverTime").asDouble();
        for (int round = 0; round < 5; round++) {
            Map<String, Boolean> expected = new LinkedHashMap<>();
            for (int i = 0; i <= round; i++) expected.put(event(u, "a", "count/n", 10 * round + i, null, false), true);
            String touched = d.id(List.of("e3", "e4", "e5").get(round % 3));
            ok(api.put("/" + u.username() + "/events/" + touched, u.token(), Map.of("content", round)), 200);
            expected.put(touched, true);
            JsonNode body = get(u, sync + since).body();
            assertThat(ids(body.get("events"))).as("round %d", round)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(body.get("eventDeletions")).isEmpty();
            since = body.get("meta").get("serverTime").asDouble();
        }
        assertThat(get(u, sync + since).body().get("events")).isEmpty();
    }

    @Test
    void includeDeletionsFollowsTheStreamsAsked() {
        Data d = data();
        User u = d.user();
        double t = get(u, "").body().get("meta").get("serverTime").asDouble();
        for (String e : List.of("e1", "e4")) {
            ok(api.delete("/" + u.username() + "/events/" + d.id(e), u.token()), 200);
            ok(api.delete("/" + u.username() + "/events/" + d.id(e), u.token()), 200);
        }
        String q = "?includeDeletions=true&modifiedSince=" + t;
        assertThat(ids(get(u, q).body().get("eventDeletions"))).containsExactlyInAnyOrder(d.id("e1"), d.id("e4"));
        assertThat(ids(get(u, q + "&streams=a").body().get("eventDeletions"))).containsExactly(d.id("e1"));
        assertThat(ids(get(u, q + "&streams=c").body().get("eventDeletions"))).isEmpty();
        // Without modifiedSince there is nothing to tell; without includeDeletions, no field.
        assertThat(get(u, "?includeDeletions=true").body().get("eventDeletions")).isEmpty();
        assertThat(get(u, "?modifiedSince=" + t).body().has("eventDeletions")).isFalse();
    }
}
