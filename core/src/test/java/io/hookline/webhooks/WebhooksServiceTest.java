package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.auth.Access;
import io.hookline.auth.AccessStore;
import io.hookline.auth.AccessesService;
import io.hookline.auth.AccountsService;
import io.hookline.auth.Caller;
import io.hookline.auth.PasswordHasher;
import io.hookline.auth.User;
import io.hookline.auth.UserStore;
import io.hookline.config.WebhooksConfig;
import io.hookline.delivery.Backoff;
import io.hookline.delivery.Deliveries;
import io.hookline.delivery.Cluster;
import io.hookline.delivery.DeliveryEngine;
import io.hookline.delivery.DeliveryState;
import io.hookline.delivery.DeliveryTarget;
import io.hookline.delivery.LocalDeliveryStore;
import io.hookline.delivery.RunRules;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Meta;
import io.hookline.auth.Methods;
import io.hookline.edge.Params;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.host.Notifiers;
import io.hookline.notifier.testkit.TestClock;
import io.hookline.outbound.NetworkGuard;
import io.hookline.support.ApiClient;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabase;
import io.hookline.support.TestPlugins;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhooks rules as services apply them, on a database of their own and without HTTP: who owns a webhook,
 * what deleting an access takes with it, and when a reactivated webhook is due (on a controlled clock).
 */
class WebhooksServiceTest {
    private static final long MIN_INTERVAL_MS = new WebhooksConfig().getMinIntervalMs();

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final TestDatabase database = new TestDatabase(clock);
    private final Notifiers notifiers = Notifiers.load(TestPlugins.installBundled(TestApps.tempDir().resolve("p")),
            null, clock, new ObjectMapper(), Map.of());
    private final LocalDeliveryStore store = new LocalDeliveryStore(database.db(),
            new RunRules(new Backoff(Duration.ofHours(1), new SplittableRandom(1)), 10));
    private final Recording deliveries = new Recording(new DeliveryEngine(database.db(), store, notifiers,
            new Meta("test"), new ObjectMapper(), Duration.ofSeconds(5), 10, 10, null, Cluster.alone(store)));
    private final Methods methods = new Methods();
    private final AccountsService accounts = new AccountsService(database.db(), new PasswordHasher(1000));

    WebhooksServiceTest() {
        AccessesService accesses = new AccessesService(database.db());
        accesses.register(methods);
        accesses.onDeletion(new AccessDeletionCascade(deliveries));
        new WebhooksService(database.db(), notifiers, new NetworkGuard(List.of()), new WebhooksConfig(), deliveries)
                .register(methods);
    }

    @AfterEach
    void close() throws InterruptedException {
        notifiers.close();
        database.close();
    }

    @Test
    void onlyTheCreatingAccessAndPersonalAccessesSeeAWebhook() {
        Caller personal = newUser("owner");
        Caller app = newAccess(personal, "app", "steps");
        Caller other = newAccess(personal, "app", "coach");
        String id = createWebhook(app, "https://example.com/hook");

        assertThat(call(app, "webhooks.getOne", "{\"id\": \"" + id + "\"}").path("webhook").path("id").asText())
                .isEqualTo(id);
        assertThat(call(personal, "webhooks.getOne", "{\"id\": \"" + id + "\"}").path("webhook").path("accessId")
                .asText()).isEqualTo(app.access().id());
        assertThatThrownBy(() -> call(other, "webhooks.getOne", "{\"id\": \"" + id + "\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorId()).isEqualTo(ErrorId.FORBIDDEN));
        assertThat(call(other, "webhooks.get", "{}").path("webhooks")).isEmpty();
        assertThat(call(personal, "webhooks.get", "{}").path("webhooks")).hasSize(1);
        assertThatThrownBy(() -> createWebhook(personal, "https://example.com/mine"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorId()).isEqualTo(ErrorId.FORBIDDEN));
    }

    @Test
    void deletingAnAccessDeletesItsWebhooksAndThoseOfTheAccessesItCreated() {
        Caller personal = newUser("cascade");
        Caller app = newAccess(personal, "app", "steps");
        Caller shared = newAccess(app, "shared", "coach");
        Caller kept = newAccess(personal, "app", "other");
        String own = createWebhook(app, "https://example.com/app");
        String ofShared = createWebhook(shared, "https://example.com/shared");
        String other = createWebhook(kept, "https://example.com/other");

        call(personal, "accesses.delete", "{\"id\": \"" + app.access().id() + "\"}");

        assertThat(deliveries.forgotten).containsExactlyInAnyOrder(own, ofShared);
        List<String> left = new ArrayList<>();
        call(personal, "webhooks.get", "{}").path("webhooks").forEach(w -> left.add(w.path("id").asText()));
        assertThat(left).containsExactly(other);
    }

    @Test
    void reactivationEndsTheBackoffButNotTheThrottle() {
        Caller app = newAccess(newUser("resume"), "app", "steps");
        String id = createWebhook(app, "https://example.com/hook");
        long lastRun = clock.instant().toEpochMilli() * 1000;
        // Three failures in a row left it inactive and backing off for a long time.
        database.db().write(tx -> tx.handle().execute("UPDATE webhooks SET state = 'inactive', current_retries = 3, "
                + "last_run_time = ?, next_attempt_at = ? WHERE id = ?", lastRun, lastRun + 3_600_000_000L, id));

        clock.advance(Duration.ofMillis(MIN_INTERVAL_MS / 2));
        JsonNode resumed = setState(app, id, "active");
        assertThat(resumed.path("currentRetries").asInt()).isZero();
        assertThat(resumed.path("state").asText()).isEqualTo("active");
        assertThat(deliveries.offered).containsEntry(id, lastRun + MIN_INTERVAL_MS * 1000);

        clock.advance(Duration.ofMillis(MIN_INTERVAL_MS));
        setState(app, id, "active"); // already past the throttle: due now
        assertThat(deliveries.offered).containsEntry(id, clock.instant().toEpochMilli() * 1000);

        setState(app, id, "inactive");
        assertThat(deliveries.forgotten).containsExactly(id);
    }

    private String createWebhook(Caller caller, String url) {
        return call(caller, "webhooks.create", "{\"url\": \"" + url + "\"}").path("webhook").path("id").asText();
    }

    private JsonNode setState(Caller caller, String id, String state) {
        return call(caller, "webhooks.update", "{\"id\": \"" + id + "\", \"update\": {\"state\": \"" + state + "\"}}")
                .path("webhook");
    }

    private JsonNode call(Caller caller, String method, String params) {
        return methods.call(caller, method, Params.ofJson(ApiClient.json(params))).body();
    }

    private Caller newUser(String prefix) {
        String username = prefix + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
        String token = accounts.createUser(Params.ofJson(ApiClient.json(
                "{\"username\": \"" + username + "\", \"password\": \"a-password\"}")), "http://localhost/")
                .path("token").asText();
        return database.db().read(h -> {
            User u = UserStore.find(h, username).orElseThrow();
            return new Caller(u, AccessStore.byToken(h, u.id(), token).orElseThrow(), "http://localhost/");
        });
    }

    /** An access of {@code type} created by {@code creator}, managing every stream. */
    private Caller newAccess(Caller creator, String type, String name) {
        String token = call(creator, "accesses.create", "{\"type\": \"" + type + "\", \"name\": \"" + name
                + "\", \"permissions\": [{\"streamId\": \"*\", \"level\": \"manage\"}]}").path("access")
                .path("token").asText();
        Access a = database.db().read(h -> AccessStore.byToken(h, creator.user().id(), token).orElseThrow());
        return new Caller(creator.user(), a, creator.baseUrl());
    }

    /** The engine's port as the webhooks API uses it, recording what it asks for. */
    private static final class Recording implements Deliveries {
        final Deliveries engine;
        final Map<String, Long> offered = new LinkedHashMap<>();
        final List<String> forgotten = new ArrayList<>();

        Recording(Deliveries engine) {
            this.engine = engine;
        }

        @Override
        public void offer(String webhookId, long due) {
            offered.put(webhookId, due);
        }

        @Override
        public void forget(String webhookId) {
            forgotten.add(webhookId);
        }

        @Override
        public DeliveryOutcome testNow(DeliveryTarget target) {
            throw new AssertionError("no test notification in these tests");
        }

        @Override
        public DeliveryState reactivate(Handle h, DeliveryTarget target, long now) {
            return engine.reactivate(h, target, now);
        }

        @Override
        public long effectiveMinIntervalMs(DeliveryTarget target) {
            return engine.effectiveMinIntervalMs(target);
        }

        @Override
        public Map<String, DeliveryState> states(Handle h, Collection<String> webhookIds) {
            return engine.states(h, webhookIds);
        }

        @Override
        public ArrayNode attempts(Handle h, String webhookId) {
            return engine.attempts(h, webhookId);
        }
    }
}
