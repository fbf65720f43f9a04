package io.hookline.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.Reply;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads writing events over HTTP while others read: not one error answer (no SQLITE_BUSY surfaces), no
 * lost write, and a client syncing with modifiedSince meanwhile misses nothing. Bounded in count and in time.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConcurrencyTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    static final int WRITERS = 4;
    static final int EVENTS_PER_WRITER = 60;
    static final int READERS = 3;
    static final long BOUND_SECONDS = 90;

    final ApiClient api = TestApps.client(APP);
    final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private Reply checked(Reply r, String what) {
        if (r.status() >= 300) failures.add(what + " -> " + r.status() + " " + r.body());
        return r;
    }

    @Test
    void writersAndReadersTogether() throws Exception {
        List<User> users = List.of(api.newUser("conc-a"), api.newUser("conc-b"));
        for (User u : users) ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "s", "name", "s")),
                201);
        Map<String, Set<String>> created = new ConcurrentHashMap<>();
        users.forEach(u -> created.put(u.username(), ConcurrentHashMap.newKeySet()));
        AtomicBoolean writing = new AtomicBoolean(true);
        Set<String> seenBySync = ConcurrentHashMap.newKeySet();

        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            User u = users.get(w % users.size());
            int writer = w;
            writers.add(pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < EVENTS_PER_WRITER; i++) {
                    if (i % 10 == 9) {
                        // Now and then a batch of three, and an update of something already written.
                        List<Map<String, Object>> calls = new ArrayList<>();
                        for (int k = 0; k < 3; k++) {
                            calls.add(Map.of("method", "events.create", "params", Map.of("streamIds", List.of("s"),
                                    "type", "count/n", "content", writer * 1000 + i)));
                        }
                        Reply r = checked(api.post("/" + u.username() + "/", u.token(), calls), "batch");
                        for (JsonNode res : r.body().path("results")) {
                            if (res.has("error")) failures.add("batch call -> " + res);
                            else created.get(u.username()).add(res.get("event").get("id").asText());
                        }
                        continue;
                    }
                    Reply r = checked(api.post("/" + u.username() + "/events", u.token(),
                            Map.of("streamIds", List.of("s"), "type", "count/n", "content", writer * 1000 + i)),
                            "events.create");
                    if (r.status() == 201) {
                        String id = r.body().get("event").get("id").asText();
                        created.get(u.username()).add(id);
                        if (i % 7 == 0) {
                            checked(api.put("/" + u.username() + "/events/" + id, u.token(), Map.of("content", -1)),
                                    "events.update");
                        }
                    }
                }
                return null;
            }));
        }

        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            User u = users.get(r % users.size());
            readers.add(pool.submit((Callable<Void>) () -> {
                int reads = 0;
                while (writing.get() || reads < 5) {
                    checked(api.get("/" + u.username() + "/events?limit=50", u.token()), "events.get");
                    checked(api.get("/" + u.username() + "/streams", u.token()), "streams.get");
                    Set<String> mine = created.get(u.username());
                    String some = mine.stream().findAny().orElse(null);
                    if (some != null) checked(api.get("/" + u.username() + "/events/" + some, u.token()), "getOne");
                    reads++;
                }
                return null;
            }));
        }

        // A webhook receiver's loop: sync from the previous serverTime, again and again.
        User syncing = users.get(0);
        Future<Double> sync = pool.submit(() -> {
            double since = 0;
            while (writing.get()) since = syncOnce(syncing, since, seenBySync);
            return since;
        });

        for (Future<?> f : writers) f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        writing.set(false);
        for (Future<?> f : readers) f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        double since = sync.get(BOUND_SECONDS, TimeUnit.SECONDS);
        syncOnce(syncing, since, seenBySync);

        assertThat(failures).as("error answers under load").isEmpty();
        int expectedPerUser = WRITERS / users.size() * (EVENTS_PER_WRITER - EVENTS_PER_WRITER / 10 + 3 * (EVENTS_PER_WRITER / 10));
        for (User u : users) {
            Set<String> stored = new HashSet<>(ids(ok(api.get("/" + u.username() + "/events?limit=10000", u.token()),
                    200).body().get("events")));
            assertThat(created.get(u.username())).hasSize(expectedPerUser);
            assertThat(stored).as("no lost write for %s", u.username())
                    .containsExactlyInAnyOrderElementsOf(created.get(u.username()));
        }
        assertThat(seenBySync).as("syncing with modifiedSince missed nothing")
                .containsExactlyInAnyOrderElementsOf(created.get(syncing.username()));
    }

    private double syncOnce(User u, double since, Set<String> seen) {
        Reply r = checked(api.get("/" + u.username() + "/events?limit=10000&modifiedSince=" + since, u.token()),
                "sync");
        if (r.status() != 200) return since;
        seen.addAll(ids(r.body().get("events")));
        return r.body().get("meta").get("serverTime").asDouble();
    }
}
