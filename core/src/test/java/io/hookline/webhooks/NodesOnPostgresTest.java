package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.notifier.Messages;
import io.hookline.support.AdminPort;
import io.hookline.support.ApiClient;
import io.hookline.support.MovableClock;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import io.hookline.support.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several Hookline nodes on one PostgreSQL database, each a real server: an API-only node, the wake-up of delivering
 * nodes by the work another node commits, {@code modifiedSince} across nodes, and {@code webhooksServiceBoot} once per
 * cluster start. These run in the default test execution on a database of their own (PostgreSQL either way).
 */
class NodesOnPostgresTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<DropwizardAppExtension<HooklineConfiguration>> running = new ArrayList<>();
    private final String url = TestDatabases.createDatabase();

    /**
     * Settings reach a test app as {@code dw.*} system properties, each app restoring on stop what it found at start.
     * Nodes stopped out of start order (a rolling restart) would leave another node's settings behind for the tests
     * that run next in this JVM: they are put back as they were before this test.
     */
    private final Map<String, String> settingsBefore = dropwizardProperties();

    private static Map<String, String> dropwizardProperties() {
        Map<String, String> out = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("dw."))
                .forEach(k -> out.put(k, System.getProperty(k)));
        return out;
    }

    @AfterEach
    void stopAll() {
        for (int i = running.size() - 1; i >= 0; i--) running.get(i).after();
        running.clear();
        dropwizardProperties().keySet().forEach(System::clearProperty);
        settingsBefore.forEach(System::setProperty);
    }

    private DropwizardAppExtension<HooklineConfiguration> node(String... settings) throws Exception {
        String[] all = Stream.concat(Stream.of("database.url", url, "webhooks.minIntervalMs", "300"),
                Stream.of(settings)).toArray(String[]::new);
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.app(all);
        app.before();
        running.add(app);
        return app;
    }

    private DropwizardAppExtension<HooklineConfiguration> nodeWithClock(MovableClock clock, String... settings)
            throws Exception {
        String[] all = Stream.concat(Stream.of("database.url", url, "webhooks.minIntervalMs", "300"),
                Stream.of(settings)).toArray(String[]::new);
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.appWithClock(clock, all);
        app.before();
        running.add(app);
        return app;
    }

    private void stop(DropwizardAppExtension<HooklineConfiguration> app) {
        app.after();
        running.remove(app);
    }

    private static JsonNode health(DropwizardAppExtension<HooklineConfiguration> app) {
        return AdminPort.of(app).health();
    }

    private static long gauge(DropwizardAppExtension<HooklineConfiguration> app, String name) {
        return AdminPort.of(app).gauge(name);
    }

    private static void awaitListening(DropwizardAppExtension<HooklineConfiguration> app) {
        Wait.until(() -> gauge(app, "hookline.cluster.listening") == 1, WAIT, "the node to listen for work");
    }

    @Test
    void anApiOnlyNodeDeliversNothingAndItsWritesWakeTheDeliveringNode() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> delivering = node();
        DropwizardAppExtension<HooklineConfiguration> apiOnly = node("delivery.enabled", "false");
        awaitListening(delivering);

        JsonNode apiHealth = health(apiOnly);
        assertThat(apiHealth.path("cluster").path("message").asText()).startsWith("API only");
        assertThat(apiHealth.has("delivery-lag")).as("lag is the delivering nodes' concern").isFalse();
        assertThat(gauge(apiOnly, "hookline.cluster.delivers")).isZero();
        assertThat(gauge(apiOnly, "hookline.cluster.listening")).isZero();
        assertThat(health(delivering).path("cluster").path("message").asText()).contains("listening");
        assertThat(gauge(delivering, "hookline.cluster.delivers")).isEqualTo(1);

        try (Receiver receiver = new Receiver()) {
            Hooks hooks = new Hooks(TestApps.client(apiOnly));
            Hooks.Account a = hooks.account();
            hooks.createWebhook(a, receiver.url());
            hooks.createEvent(a);
            // Only the delivering node runs an engine, and its schedule hears of this write only through the signal.
            assertThat(receiver.await(1, WAIT).get(0).messages()).contains("eventsChanged");
            assertThat(gauge(apiOnly, "hookline.cluster.signalsSent")).isPositive();
            assertThat(gauge(apiOnly, "hookline.deliveries.inFlight")).isZero();
        }
    }

    /**
     * A write stamped on one node that commits after another node answered a read must still be newer than that
     * read's serverTime. The test holds the write open with a row lock until the read has answered.
     */
    @Test
    void modifiedSinceSeesAWriteOfAnotherNodeThatCommittedAfterTheRead() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> reader = node();
        DropwizardAppExtension<HooklineConfiguration> writer = node("delivery.enabled", "false");
        ApiClient onReader = TestApps.client(reader);
        ApiClient onWriter = TestApps.client(writer);
        Hooks.Account a = new Hooks(onWriter).account();
        new Hooks(onWriter).createEvent(a);

        CompletableFuture<ApiClient.Reply> late;
        try (Connection db = DriverManager.getConnection(url)) {
            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement("SELECT 1 FROM user_changes c JOIN users u "
                    + "ON u.id = c.user_id WHERE u.username = ? FOR UPDATE")) {
                lock.setString(1, a.name());
                lock.executeQuery().close();
            }
            late = CompletableFuture.supplyAsync(() -> onWriter.post(a.path("/events"), a.appToken(),
                    Map.of("streamIds", List.of("count"), "type", "count/steps", "content", 7)));
            Wait.until(() -> writersWaitingOnALock() > 0, WAIT, "the write to wait on the row lock");
            JsonNode before = onReader.get(a.path("/events"), a.appToken()).body();
            assertThat(before.path("events")).hasSize(1);
            double serverTime = before.path("meta").path("serverTime").asDouble();
            db.commit();

            ApiClient.Reply created = late.get(30, TimeUnit.SECONDS);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.body().path("event").path("id").asText();
            JsonNode since = onReader.get(a.path("/events?modifiedSince=" + serverTime), a.appToken()).body();
            List<String> ids = new ArrayList<>();
            since.path("events").forEach(e -> ids.add(e.path("id").asText()));
            assertThat(ids).contains(id);
        }
    }

    /**
     * A node keeps the accesses behind recent tokens in memory. An access deleted through another node must not stay
     * usable there: once the node's reading of the accesses' generation is older than its age (10 ms, passed here by
     * moving the node's clock), the token is refused.
     */
    @Test
    void anAccessDeletedThroughOneNodeIsRefusedByAnother() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> first = node();
        MovableClock clock = new MovableClock();
        DropwizardAppExtension<HooklineConfiguration> second = nodeWithClock(clock, "delivery.enabled", "false");
        ApiClient onFirst = TestApps.client(first);
        ApiClient onSecond = TestApps.client(second);
        Hooks.Account a = new Hooks(onFirst).account();
        assertThat(onSecond.get(a.path("/events"), a.appToken()).status()).isEqualTo(200);
        assertThat(onSecond.get(a.path("/events"), a.appToken()).status()).as("served from the node's memory")
                .isEqualTo(200);

        ApiClient.Reply deleted = onFirst.delete(a.path("/accesses/" + a.appId()), a.personal());
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));

        ApiClient.Reply refused = onSecond.get(a.path("/events"), a.appToken());
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.body().path("error").path("id").asText()).isEqualTo("invalid-access-token");
        assertThat(onSecond.get(a.path("/events"), a.personal()).status()).as("the personal token still works")
                .isEqualTo(200);
    }

    /**
     * Deleting an access counts one up on the {@code generations} row, which every such deletion locks: it must be the
     * transaction's first lock, so that a deletion waiting for it holds nothing another transaction may wait for
     * (neither the access's row nor its webhooks', which a finishing delivery or a writer's outbox may need).
     */
    @Test
    void aDeletionOfAnAccessWaitsForTheGenerationsRowBeforeLockingAnythingElse() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> app = node("delivery.enabled", "false");
        ApiClient api = TestApps.client(app);
        Hooks hooks = new Hooks(api);
        Hooks.Account a = hooks.account();
        String webhook = hooks.createWebhook(a, "http://127.0.0.1:9/hook");

        CompletableFuture<ApiClient.Reply> deletion;
        try (Connection blocker = DriverManager.getConnection(url)) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("INSERT INTO generations (name, value) VALUES ('accesses', 0) "
                    + "ON CONFLICT (name) DO UPDATE SET value = generations.value + 1");
            deletion = CompletableFuture.supplyAsync(() -> api.delete(a.path("/accesses/" + a.appId()), a.personal()));
            Wait.until(() -> writersWaitingOnALock() > 0, WAIT, "the deletion to wait for the generations row");
            try (Connection probe = DriverManager.getConnection(url)) {
                probe.setAutoCommit(false);
                for (String row : List.of("SELECT 1 FROM accesses WHERE id = '" + a.appId() + "' FOR UPDATE NOWAIT",
                        "SELECT 1 FROM webhooks WHERE id = '" + webhook + "' FOR UPDATE NOWAIT")) {
                    probe.createStatement().executeQuery(row).close(); // 55P03 if the waiting deletion held it
                }
                probe.rollback();
            }
            blocker.commit();
        }
        ApiClient.Reply deleted = deletion.get(30, TimeUnit.SECONDS);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(api.get(a.path("/events"), a.appToken()).status()).isEqualTo(403);
    }

    /**
     * A connection to PostgreSQL costs a server process and tens of milliseconds to open: a node opens its pools whole
     * at start, so that a burst of requests never waits for them to grow.
     */
    @Test
    void aNodeOpensItsWholePoolsAtStartAndKeepsThem() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> app = node("database.writers", "3", "database.readers", "2");
        assertThat(connectionsNamed("hookline-writer")).isEqualTo(3);
        assertThat(connectionsNamed("hookline")).isEqualTo(2);
        Hooks hooks = new Hooks(TestApps.client(app));
        Hooks.Account a = hooks.account();
        for (int i = 0; i < 5; i++) hooks.createEvent(a);
        assertThat(connectionsNamed("hookline-writer")).isEqualTo(3);
        assertThat(connectionsNamed("hookline")).isEqualTo(2);
    }

    private int connectionsNamed(String applicationName) {
        try (Connection db = DriverManager.getConnection(url);
             PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND application_name = ?")) {
            count.setString(1, applicationName);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int writersWaitingOnALock() {
        try (Connection db = DriverManager.getConnection(url);
             ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND application_name = 'hookline-writer' "
                     + "AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void webhooksServiceBootIsSentOncePerClusterStartNotByNodesJoiningIt() throws Exception {
        try (Receiver receiver = new Receiver()) {
            DropwizardAppExtension<HooklineConfiguration> first = node();
            Hooks hooks = new Hooks(TestApps.client(first));
            Hooks.Account a = hooks.account();
            hooks.createWebhook(a, receiver.url());
            stop(first);

            // The cluster starts: its first delivering node tells the webhook.
            first = node();
            assertThat(receiver.await(1, WAIT).get(0).messages()).containsExactly(Messages.SERVICE_BOOT);

            // A second node joins the running one, then the first restarts (a rolling restart): no boot either time.
            DropwizardAppExtension<HooklineConfiguration> second = node();
            awaitEventDelivered(receiver, second, a);
            stop(first);
            first = node();
            awaitEventDelivered(receiver, first, a);
            assertThat(bootsReceived(receiver)).isEqualTo(1);

            // Every delivering node stops; the next start is the cluster's again.
            stop(first);
            stop(second);
            node();
            Wait.until(() -> bootsReceived(receiver) == 2, WAIT, "the second cluster start's boot");
        }
    }

    /** Writes an event through {@code app} and waits for a delivery that tells it. */
    private static void awaitEventDelivered(Receiver receiver, DropwizardAppExtension<HooklineConfiguration> app,
                                            Hooks.Account a) {
        int before = receiver.hits().size();
        new Hooks(TestApps.client(app)).createEvent(a);
        Wait.until(() -> receiver.hits().stream().skip(before).anyMatch(h -> h.messages().contains("eventsChanged")),
                WAIT, "the event's delivery");
    }

    private static long bootsReceived(Receiver receiver) {
        return receiver.hits().stream().filter(h -> h.messages().contains(Messages.SERVICE_BOOT)).count();
    }
}
