package io.hookline.delivery;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.Dialect;
import io.hookline.storage.Migrations;
import io.hookline.storage.PostgresWriter;
import io.hookline.support.MovableClock;
import io.hookline.support.TestDatabases;
import io.hookline.support.Wait;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL delivery store on a real server, with two nodes (two stores, each with its own pool and writer) on
 * one database: leases are exclusive, a late result is discarded, time rules follow the database's clock, and no
 * pending message is lost when writers and finishing deliveries race on the same users.
 */
class PostgresDeliveryStoreTest {
    private static final String EVENTS = "eventsChanged";
    private static final String STREAMS = "streamsChanged";
    private final List<PostgresWriter> writers = new ArrayList<>();
    private final RunRules rules = new RunRules(new Backoff(Duration.ofHours(1), new SplittableRandom(1)), 10);
    private String url;
    private Jdbi admin;

    @BeforeEach
    void createDatabase() {
        url = TestDatabases.createDatabase();
        admin = Dialect.POSTGRESQL.install(Jdbi.create(url));
        Migrations.apply(admin, Dialect.POSTGRESQL);
    }

    @AfterEach
    void stopWriters() throws InterruptedException {
        for (PostgresWriter w : writers) w.stop();
    }

    private Database node(Clock clock) {
        Jdbi jdbi = Dialect.POSTGRESQL.install(Jdbi.create(url));
        ChangeClock changes = new ChangeClock(clock);
        PostgresWriter writer = new PostgresWriter(jdbi, changes, 4, 16, 100);
        writer.start();
        writers.add(writer);
        return new Database(jdbi, writer, changes, Dialect.POSTGRESQL);
    }

    private PostgresDeliveryStore store(Database db, String name, Duration lease) {
        return new PostgresDeliveryStore(db, rules, name, lease);
    }

    private long user(String name) {
        return admin.withHandle(h -> h.createQuery("INSERT INTO users (username, created) VALUES (?, 0) RETURNING id")
                .bind(0, name).mapTo(Long.class).one());
    }

    private String webhook(long user, long minIntervalMs) {
        String id = "w" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        admin.useHandle(h -> h.execute("INSERT INTO webhooks (id, user_id, access_id, url, type, settings, "
                + "min_interval_ms, max_retries, state, created, created_by, modified, modified_by) "
                + "VALUES (?, ?, 'a', ?, 'http', '{}', ?, 5, 'active', 0, 'a', 0, 'a')", id, user,
                "http://127.0.0.1/" + id, minIntervalMs));
        return id;
    }

    private static SortedMap<Long, SortedSet<String>> changeOf(long user, String message) {
        return new TreeMap<>(Map.of(user, new TreeSet<>(List.of(message))));
    }

    /** One write of {@code message} for the user; returns the user's {@code last_seen} of it that this write set. */
    private static long change(Database db, PostgresDeliveryStore store, long user, String message) {
        return db.write(tx -> {
            store.recordChanges(tx.handle(), changeOf(user, message), tx.now());
            return tx.handle().createQuery("SELECT last_seen FROM user_changes WHERE user_id = ? AND message = ?")
                    .bind(0, user).bind(1, message).mapTo(Long.class).one();
        });
    }

    private static List<DeliveryStore.Finished> deliver(Database db, PostgresDeliveryStore store,
                                                        List<DeliveryStore.Claim> claims) {
        List<DeliveryStore.Finished> finished = record(db, store, claims);
        store.ended(finished);
        return finished;
    }

    /** Records a successful delivery of each claim, as the recorder does before it tells the store they ended. */
    private static List<DeliveryStore.Finished> record(Database db, PostgresDeliveryStore store,
                                                       List<DeliveryStore.Claim> claims) {
        List<DeliveryStore.Attempt> attempts = claims.stream().map(c -> new DeliveryStore.Attempt(c,
                new Tried(Attempted.of(DeliveryOutcome.delivered(200)), null, db.clock().nowMicros(), 0),
                c.target().minIntervalMs(), c.state().deliveryId())).toList();
        return db.writeAlone(tx -> store.finish(tx, attempts));
    }

    private long pendingCount(String webhookId) {
        return admin.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_pending WHERE webhook_id = ?")
                .bind(0, webhookId).mapTo(Long.class).one());
    }

    private Long nextAttemptRecorded(String webhookId) {
        return admin.withHandle(h -> h.createQuery("SELECT next_attempt FROM webhook_attempts WHERE webhook_id = ? "
                + "ORDER BY run_number DESC LIMIT 1").bind(0, webhookId).mapTo(Long.class).one());
    }

    private long dbNow() {
        return admin.withHandle(h -> h.createQuery("SELECT " + PostgresDeliveryStore.DB_NOW).mapTo(Long.class).one());
    }

    @Test
    void aWebhookIsClaimedByOneNodeAtATimeWithOneNotificationId() {
        Database a = node(Clock.systemUTC());
        Database b = node(Clock.systemUTC());
        PostgresDeliveryStore storeA = store(a, "a", Duration.ofMinutes(1));
        PostgresDeliveryStore storeB = store(b, "b", Duration.ofMinutes(1));
        long user = user("u");
        String w = webhook(user, 0);
        change(a, storeA, user, EVENTS);

        List<DeliveryStore.Claim> first = storeA.claimDue(10);
        assertThat(first).extracting(c -> c.lease().webhookId()).containsExactly(w);
        assertThat(first.get(0).pending()).extracting(DeliveryStore.Pending::message).containsExactly(EVENTS);
        assertThat(first.get(0).state().deliveryId()).startsWith("msg_");
        assertThat(storeB.claimDue(10)).isEmpty();
        assertThat(storeA.claimDue(10)).isEmpty();

        // Released without a delivery: the other node takes it, with the same notification id.
        storeA.release(first.get(0).lease(), true, 0);
        List<DeliveryStore.Claim> second = storeB.claimDue(10);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).lease().fence()).isGreaterThan(first.get(0).lease().fence());
        assertThat(second.get(0).state().deliveryId()).isEqualTo(first.get(0).state().deliveryId());

        List<DeliveryStore.Finished> done = deliver(b, storeB, second);
        assertThat(done.get(0).pendingRemains()).isFalse();
        assertThat(done.get(0).state().deliveryId()).isNull();
        assertThat(pendingCount(w)).isZero();
        assertThat(storeB.claimedCount()).isZero();
    }

    @Test
    void aClaimTakenBeforeTheEndOfTheLastRunIsHeardStaysStartable() {
        Database a = node(Clock.systemUTC());
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(1));
        long user = user("u");
        String w = webhook(user, 0);
        change(a, store, user, EVENTS);
        List<DeliveryStore.Claim> first = store.claimDue(10);
        List<DeliveryStore.Finished> finished = record(a, store, first);

        // Committed: the lease is free in the database. A change comes and the webhook is claimed again before the
        // recorder's thread tells the store that the first run ended.
        change(a, store, user, EVENTS);
        List<DeliveryStore.Claim> second = store.claimDue(10);
        assertThat(second).extracting(c -> c.lease().webhookId()).containsExactly(w);
        store.ended(finished);

        assertThat(store.claimedCount()).isEqualTo(1);
        assertThat(store.mayStart(second.get(0).lease())).isTrue();
    }

    @Test
    void workOfferedWhileAClaimIsHeldIsNotLostWhenThatClaimIsParked() {
        Database a = node(Clock.systemUTC());
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(1));
        long user = user("u");
        String w = webhook(user, 0);
        change(a, store, user, EVENTS);

        // Parked without an offer meanwhile (its host was full): this node leaves it alone until offered.
        DeliveryStore.Claim first = store.claimDue(10).get(0);
        store.release(first.lease(), false, 0);
        assertThat(store.claimDue(10)).isEmpty();
        store.offer(List.of(new DeliveryStore.Due(w, 0)));

        // Offered while claimed (a place freed at its host, or a change committed), then released to be parked: the
        // offer came first, and still counts.
        DeliveryStore.Claim second = store.claimDue(10).get(0);
        store.offer(List.of(new DeliveryStore.Due(w, 0)));
        store.release(second.lease(), false, 0);
        assertThat(store.claimDue(10)).extracting(c -> c.lease().webhookId()).containsExactly(w);
    }

    @Test
    void aResultArrivingAfterTheLeaseExpiredIsDiscardedAndTheWorkIsRedone() {
        Database a = node(Clock.systemUTC());
        Database b = node(Clock.systemUTC());
        PostgresDeliveryStore storeA = store(a, "a", Duration.ofSeconds(1));
        PostgresDeliveryStore storeB = store(b, "b", Duration.ofMinutes(1));
        long user = user("u");
        String w = webhook(user, 0);
        change(a, storeA, user, EVENTS);
        List<DeliveryStore.Claim> late = storeA.claimDue(10);
        long until = admin.withHandle(h -> h.createQuery("SELECT lease_until FROM webhooks WHERE id = ?").bind(0, w)
                .mapTo(Long.class).one());

        // Not renewed (node a is "paused"): once the database's clock passes the expiry, b takes the webhook.
        Wait.until(() -> dbNow() > until, Duration.ofSeconds(10), "the lease to expire");
        List<DeliveryStore.Claim> taken = storeB.claimDue(10);
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0).state().deliveryId()).isEqualTo(late.get(0).state().deliveryId());

        List<DeliveryStore.Finished> refused = deliver(a, storeA, late);
        assertThat(refused.get(0).pendingRemains()).isFalse();
        assertThat(storeA.discarded()).isEqualTo(1);
        assertThat(pendingCount(w)).as("a's late result removed nothing").isEqualTo(1);
        assertThat(runCount(w)).isZero();

        deliver(b, storeB, taken);
        assertThat(pendingCount(w)).isZero();
        assertThat(runCount(w)).isEqualTo(1);
    }

    /** The system's clock, moved ahead on demand: what a node sees after it was paused. */
    private static final class PausableClock extends Clock {
        private volatile Duration paused = Duration.ZERO;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.time.Instant instant() {
            return Clock.systemUTC().instant().plus(paused);
        }
    }

    @Test
    void aClaimIsNotStartedByANodePausedForMoreThanTwoThirdsOfItsLease() {
        PausableClock clock = new PausableClock();
        Database a = node(clock);
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(3));
        long user = user("u");
        String w = webhook(user, 0);
        change(a, store, user, EVENTS);
        DeliveryStore.Claim claim = store.claimDue(10).get(0);
        assertThat(store.mayStart(claim.lease())).isTrue();
        assertThat(store.mayStart(new DeliveryStore.Lease(w, claim.lease().fence() - 1))).as("an older claim").isFalse();

        clock.paused = Duration.ofSeconds(119);
        assertThat(store.mayStart(claim.lease())).as("a third of the lease left").isTrue();
        clock.paused = Duration.ofSeconds(121);
        assertThat(store.mayStart(claim.lease())).as("less than a third left").isFalse();

        store.release(claim.lease(), true, a.clock().nowMicros());
        assertThat(store.mayStart(claim.lease())).as("released").isFalse();
        assertThat(pendingCount(w)).as("nothing was delivered; it stays pending").isEqualTo(1);
    }

    @Test
    void anExpiredLeaseIsNotRenewedAndALiveOneIs() {
        Database a = node(Clock.systemUTC());
        PostgresDeliveryStore store = store(a, "a", Duration.ofSeconds(1));
        long user = user("u");
        String w = webhook(user, 0);
        change(a, store, user, EVENTS);
        store.claimDue(10);
        long first = leaseUntil(w);
        Wait.until(() -> dbNow() > first - 500_000, Duration.ofSeconds(10), "half the lease to pass");
        store.renew();
        long renewed = leaseUntil(w);
        assertThat(renewed).isGreaterThan(first);
        Wait.until(() -> dbNow() > renewed, Duration.ofSeconds(10), "the lease to expire");
        store.renew();
        assertThat(leaseUntil(w)).isEqualTo(renewed);
    }

    @Test
    void aStopReleasesEveryLeaseOfTheNodeOnly() {
        Database a = node(Clock.systemUTC());
        Database b = node(Clock.systemUTC());
        PostgresDeliveryStore storeA = store(a, "a", Duration.ofMinutes(1));
        PostgresDeliveryStore storeB = store(b, "b", Duration.ofMinutes(1));
        long user = user("u");
        String w1 = webhook(user, 0);
        String w2 = webhook(user, 0);
        change(a, storeA, user, EVENTS);
        assertThat(storeA.claimDue(1)).hasSize(1);
        assertThat(storeB.claimDue(1)).hasSize(1);
        storeA.releaseAll();
        long leased = admin.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhooks WHERE lease_owner IS NOT NULL")
                .mapTo(Long.class).one());
        assertThat(leased).isEqualTo(1);
        assertThat(storeB.claimDue(10)).hasSize(1);
        assertThat(List.of(w1, w2)).allSatisfy(w -> assertThat(pendingCount(w)).isEqualTo(1));
    }

    @Test
    void aNodeWhoseClockIsFiveSecondsOffKeepsTheThrottleOfTheDatabasesClock() {
        Database skewed = node(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)));
        Database behind = node(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-5)));
        PostgresDeliveryStore ahead = store(skewed, "ahead", Duration.ofMinutes(1));
        PostgresDeliveryStore late = store(behind, "behind", Duration.ofMinutes(1));
        long user = user("u");
        String w = webhook(user, 60_000);
        change(skewed, ahead, user, EVENTS);

        long before = dbNow();
        deliver(skewed, ahead, ahead.claimDue(10));
        long after = dbNow();
        long next = admin.withHandle(h -> h.createQuery("SELECT next_attempt_at FROM webhooks WHERE id = ?")
                .bind(0, w).mapTo(Long.class).one());
        assertThat(next).isBetween(before + 60_000_000, after + 60_000_000);
        long lastRun = admin.withHandle(h -> h.createQuery("SELECT last_run_time FROM webhooks WHERE id = ?")
                .bind(0, w).mapTo(Long.class).one());
        // The node measures its offset to the database's clock at each claim, to within the round trip of a query.
        assertThat(lastRun).as("the attempt's time, in the database's clock").isBetween(before - 1_000_000, after);

        // Throttled for the cluster: neither node claims the next change before the database's clock says so.
        change(behind, late, user, EVENTS);
        assertThat(ahead.claimDue(10)).isEmpty();
        assertThat(late.claimDue(10)).isEmpty();
        long leaseBefore = dbNow();
        admin.useHandle(h -> h.execute("UPDATE webhooks SET next_attempt_at = 0 WHERE id = ?", w));
        assertThat(late.claimDue(10)).hasSize(1);
        assertThat(leaseUntil(w)).isBetween(leaseBefore + 60_000_000, dbNow() + 60_000_000);
    }

    private long leaseUntil(String w) {
        return admin.withHandle(h -> h.createQuery("SELECT lease_until FROM webhooks WHERE id = ?").bind(0, w)
                .mapTo(Long.class).one());
    }

    private long runCount(String w) {
        return admin.withHandle(h -> h.createQuery("SELECT run_count FROM webhooks WHERE id = ?").bind(0, w)
                .mapTo(Long.class).one());
    }

    @Test
    void aFullBatchOfClaimsWakesTheSchedulerAtOnceForTheRest() throws Exception {
        Database a = node(Clock.systemUTC());
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(1));
        long user = user("u");
        for (int i = 0; i < 3; i++) webhook(user, 0);
        change(a, store, user, EVENTS);

        assertThat(store.claimDue(2)).hasSize(2);
        // The claim does not look for the next due time when its batch is full: the third webhook is due now, and
        // the scheduler must not sleep until its next look (a minute here).
        ExecutorService scheduler = Executors.newSingleThreadExecutor();
        try {
            scheduler.submit(() -> {
                store.awaitWork(60_000, 100);
                return null;
            }).get(10, TimeUnit.SECONDS);
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(store.claimDue(2)).hasSize(1);
    }

    @Test
    void offeredWebhooksAreClaimedByIdAndEverythingIsLookedAtAtLeastEverySecond() {
        MovableClock clock = MovableClock.stopped();
        Database a = node(clock);
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(1));
        long user = user("u");
        long other = user("other");
        String offered = webhook(user, 0);
        String notOffered = webhook(other, 0);
        assertThat(store.claimDue(10)).isEmpty(); // the first claim looks at everything: nothing yet

        // Both pending; only one offered, as the commit of this node (or another's signal) offers what it added.
        change(a, store, user, EVENTS);
        change(a, store, other, EVENTS);
        store.offer(List.of(new DeliveryStore.Due(offered, 0)));
        assertThat(store.claimDue(10)).extracting(c -> c.lease().webhookId()).containsExactly(offered);

        // Work nobody offered (a signal lost) is found by looking at everything: each time nothing offered is due,
        // and at least every second while offers keep coming.
        String next = webhook(user, 0);
        change(a, store, user, STREAMS);
        store.offer(List.of(new DeliveryStore.Due(next, 0)));
        assertThat(store.claimDue(10)).extracting(c -> c.lease().webhookId()).containsExactly(next);
        store.offer(List.of(new DeliveryStore.Due(offered, 0)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.claimDue(10)).extracting(c -> c.lease().webhookId()).containsExactly(notOffered);

        // More than 16 offered webhooks due at once are claimed by looking at everything (a webhook not offered too).
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) many.add(webhook(user, 0));
        String alsoNotOffered = webhook(other, 0);
        change(a, store, user, "m");
        change(a, store, other, "m");
        store.offer(many.stream().map(w -> new DeliveryStore.Due(w, 0)).toList());
        List<String> expected = new ArrayList<>(many);
        expected.add(alsoNotOffered);
        assertThat(store.claimDue(100)).extracting(c -> c.lease().webhookId())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theClaimOfOfferedWebhooksReadsThemByKeyWithThePlanTheServerKeeps() throws Exception {
        long user = user("u");
        List<String> webhooks = new ArrayList<>();
        for (int i = 0; i < 12; i++) webhooks.add(webhook(user, 0));
        MovableClock clock = MovableClock.stopped();
        try (Connection one = DriverManager.getConnection(url)) {
            Jdbi onOneConnection = Dialect.POSTGRESQL.install(Jdbi.create(one));
            PostgresDeliveryStore store = storeOn(onOneConnection, clock);
            assertThat(store.claimDue(10)).isEmpty(); // looks at everything: nothing pending yet
            for (String w : webhooks) {
                admin.useHandle(h -> h.execute("INSERT INTO webhook_pending (webhook_id, message, first_seen, "
                        + "last_seen) VALUES (?, ?, 0, 0)", w, EVENTS));
                store.offer(List.of(new DeliveryStore.Due(w, 0)));
                assertThat(store.claimDue(10)).extracting(c -> c.lease().webhookId()).containsExactly(w);
            }
            assertKeepsItsPlan(onOneConnection, "%unnest((SELECT $1)::text[])%");
        }

        // The plan the server keeps, made for any ids, with 2,000 webhooks due and pending: each offered webhook and
        // its pending messages are read through their keys, never the tables in full.
        admin.useHandle(h -> {
            h.execute("INSERT INTO webhooks (id, user_id, access_id, url, type, settings, min_interval_ms, "
                    + "max_retries, state, created, created_by, modified, modified_by) "
                    + "SELECT 'w' || i, ?, 'a', 'http://127.0.0.1/' || i, 'http', '{}', 0, 5, 'active', 0, 'a', 0, "
                    + "'a' FROM generate_series(1, 2000) i", user);
            h.execute("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                    + "SELECT 'w' || i, 'm', 0, 0 FROM generate_series(1, 2000) i");
            h.execute("ANALYZE");
        });
        String statement = ClaimStatements.OFFERED.replace(":ids", "$1").replace(":node", "$2")
                .replace(":lease", "$3").replace(":seed", "$4");
        String plan = genericPlan(statement, "text[], text, bigint, text", "ARRAY['w1'], 'a', 1, 's'");
        assertThat(plan).contains("Index Scan using webhooks_pkey on webhooks w")
                .doesNotContain("Seq Scan on webhooks").doesNotContain("Seq Scan on webhook_pending")
                .doesNotContain("webhooks_due");
    }

    @Test
    void aWritesNotificationsAreRecordedWithThePlanTheServerKeepsNotPlannedAtEachWrite() throws Exception {
        long user = user("u");
        String w = webhook(user, 0);
        webhook(user, 0);
        long now = dbNow();
        try (Connection one = DriverManager.getConnection(url)) {
            Jdbi onOneConnection = Dialect.POSTGRESQL.install(Jdbi.create(one));
            PostgresDeliveryStore store = storeOn(onOneConnection);
            for (int i = 0; i < 12; i++) {
                String message = i % 2 == 0 ? EVENTS : STREAMS;
                long at = now + i;
                onOneConnection.useHandle(h -> store.recordChanges(h, changeOf(user, message), at));
            }
            // Arrays the server could see into made the generic plan look dearer: each write was planned anew.
            assertKeepsItsPlan(onOneConnection, "WITH changed AS%");
        }
        assertThat(pendingCount(w)).isEqualTo(2);
    }

    /**
     * The server plans a prepared statement with the values of its first five runs, then keeps its generic plan unless
     * that one looks dearer: the statement matching {@code like}, run on this connection, was planned for its values
     * at most five times, then ran with the generic plan.
     */
    private static void assertKeepsItsPlan(Jdbi onOneConnection, String like) {
        Map<String, Long> plans = onOneConnection.withHandle(h -> h.createQuery(
                        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE ?")
                .bind(0, like).map((rs, ctx) -> Map.of("generic", rs.getLong(1), "custom", rs.getLong(2))).one());
        assertThat(plans.get("custom")).isLessThanOrEqualTo(5);
        assertThat(plans.get("generic")).isGreaterThanOrEqualTo(1);
    }

    /**
     * The plan the server keeps for {@code statement} (its parameters {@code $1}, {@code $2}, ... of {@code types}),
     * made for any values, as EXPLAIN shows it for {@code arguments}.
     */
    private String genericPlan(String statement, String types, String arguments) {
        return admin.withHandle(h -> {
            h.execute("SET plan_cache_mode = force_generic_plan");
            h.execute("PREPARE kept (" + types + ") AS " + statement);
            return String.join("\n", h.createQuery("EXPLAIN EXECUTE kept(" + arguments + ")")
                    .mapTo(String.class).list());
        });
    }

    /**
     * A store whose every handle runs on this one connection (closing a handle leaves it open, as a pool's would),
     * with its writer not started: its statements run on the caller's thread.
     */
    private PostgresDeliveryStore storeOn(Jdbi onOneConnection) {
        return storeOn(onOneConnection, Clock.systemUTC());
    }

    private PostgresDeliveryStore storeOn(Jdbi onOneConnection, Clock clock) {
        ChangeClock changes = new ChangeClock(clock);
        Database db = new Database(onOneConnection, new PostgresWriter(onOneConnection, changes, 1, 16, 100),
                changes, Dialect.POSTGRESQL);
        return store(db, "a", Duration.ofMinutes(1));
    }

    /**
     * The driver prepares a statement on the server after five executions on one connection, and the server then
     * keeps one plan for it. A claim's plan made while the tables were nearly empty (a new database, a quiet hour) was
     * kept once they had grown: one claim then took 35.8 s, reading the due-time index once per pending webhook
     * (BENCHMARKS.md, sixteenth runs). The claim is planned each time: it is never prepared on the server.
     */
    @Test
    void theClaimIsPlannedAtEachExecutionNeverKeptPreparedOnTheServer() throws Exception {
        try (Connection one = DriverManager.getConnection(url)) {
            Jdbi onOneConnection = Dialect.POSTGRESQL.install(Jdbi.create(one));
            PostgresDeliveryStore store = storeOn(onOneConnection);
            for (int i = 0; i < 10; i++) {
                store.claimDue(10);
                onOneConnection.useHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhooks WHERE state = ?")
                        .bind(0, "active").mapTo(Long.class).one());
            }
            List<String> prepared = onOneConnection.withHandle(h -> h.createQuery(
                    "SELECT statement FROM pg_prepared_statements").mapTo(String.class).list());
            assertThat(prepared).as("a statement run as often is prepared on the server")
                    .anySatisfy(sql -> assertThat(sql).startsWith("SELECT COUNT(*) FROM webhooks"));
            assertThat(prepared).noneSatisfy(sql -> assertThat(sql).contains("FOR NO KEY UPDATE OF w SKIP LOCKED"));
        }
    }

    @Test
    void aFinishDoesNotWaitForAWriteInFlightAndLeavesItsMessagePending() throws Exception {
        Database a = node(Clock.systemUTC());
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(1));
        long user = user("u");
        long other = user("v");
        String w = webhook(user, 0);
        String w2 = webhook(other, 0);
        change(a, store, user, EVENTS);
        change(a, store, other, EVENTS);
        List<DeliveryStore.Claim> claims = store.claimDue(10);
        assertThat(claims).hasSize(2);

        // A write of the same message for the first user, not committed while the deliveries finish.
        ExecutorService finisher = Executors.newSingleThreadExecutor();
        try (Handle writer = admin.open()) {
            writer.begin();
            store.recordChanges(writer, changeOf(user, EVENTS), dbNow());
            Future<List<DeliveryStore.Finished>> finishing = finisher.submit(() -> deliver(a, store, claims));
            // Before: the finish waited for this commit, and every write of the users it held waited behind it.
            Map<String, Boolean> remains = new HashMap<>();
            finishing.get(30, TimeUnit.SECONDS)
                    .forEach(f -> remains.put(f.lease().webhookId(), f.pendingRemains()));
            assertThat(remains).containsEntry(w, true).containsEntry(w2, false);
            writer.commit();
        } finally {
            finisher.shutdownNow();
        }
        assertThat(pendingCount(w)).isEqualTo(1);
        assertThat(pendingCount(w2)).isZero();
        // The attempt's details plan a next attempt for the webhook whose message stayed pending only.
        assertThat(nextAttemptRecorded(w)).isNotNull();
        assertThat(nextAttemptRecorded(w2)).isNull();
        List<DeliveryStore.Claim> again = store.claimDue(10);
        assertThat(again).extracting(c -> c.lease().webhookId()).containsExactly(w);
        assertThat(again.get(0).pending()).extracting(DeliveryStore.Pending::message).containsExactly(EVENTS);
    }

    @Test
    void aWriteLocksTheChangeRowsOfAllItsUsersBeforeAnyPendingRow() throws Exception {
        Database a = node(Clock.systemUTC());
        PostgresDeliveryStore store = store(a, "a", Duration.ofMinutes(1));
        long first = user("u");
        long second = user("v");
        String w = webhook(first, 0);
        webhook(second, 0);
        change(a, store, first, EVENTS);
        change(a, store, second, EVENTS);
        admin.useHandle(h -> h.execute("DELETE FROM webhook_pending"));
        SortedMap<Long, SortedSet<String>> both = new TreeMap<>(Map.of(first, new TreeSet<>(List.of(EVENTS)),
                second, new TreeSet<>(List.of(EVENTS))));

        ExecutorService writing = Executors.newSingleThreadExecutor();
        try (Handle holder = admin.open(); Handle probe = admin.open()) {
            // The first user's pending row, inserted and not committed: the write below must wait for it.
            holder.begin();
            holder.execute("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                    + "VALUES (?, ?, 0, 0)", w, EVENTS);
            Future<List<DeliveryStore.Due>> write = writing.submit(() -> admin.inTransaction(h ->
                    store.recordChanges(h, both, dbNow())));
            Wait.until(() -> probe.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND wait_event_type = 'Lock' AND query LIKE 'WITH changed%'").mapTo(Integer.class).one() == 1,
                    Duration.ofSeconds(30), "the write to wait for the pending row");
            // Waiting at the first user's pending row, it already holds the second user's change row: every change
            // row of a transaction comes before its pending rows, whatever their user (DeliveryOutbox's lock order).
            String state = null;
            try {
                probe.createQuery("SELECT 1 FROM user_changes WHERE user_id = ? AND message = ? FOR UPDATE NOWAIT")
                        .bind(0, second).bind(1, EVENTS).mapTo(Integer.class).list();
            } catch (UnableToExecuteStatementException e) {
                state = ((SQLException) e.getCause()).getSQLState();
            }
            assertThat(state).isEqualTo("55P03");
            holder.rollback();
            assertThat(write.get(30, TimeUnit.SECONDS))
                    .extracting(DeliveryStore.Due::webhookId).contains(w);
        } finally {
            writing.shutdownNow();
        }
        assertThat(pendingCount(w)).isEqualTo(1);
    }

    /**
     * Writers on two nodes add messages for three users while both nodes claim and finish deliveries of the same
     * webhooks. Every write moves the user's {@code last_seen} of its message, and a claim reads it with the pending
     * message: a write is covered by a delivery whose claim read its {@code last_seen} or a later one. At the end of
     * each round, once the nodes delivered all that remained, every webhook's last write of each message must be
     * covered. A finish that deleted a message a concurrent write was adding leaves that write uncovered.
     */
    @Test
    void concurrentWritersAndFinishersLoseNoMessage() throws Exception {
        Database a = node(Clock.systemUTC());
        Database b = node(Clock.systemUTC());
        List<PostgresDeliveryStore> stores = List.of(store(a, "a", Duration.ofMinutes(1)),
                store(b, "b", Duration.ofMinutes(1)));
        List<Database> dbs = List.of(a, b);
        Map<Long, List<String>> webhooksByUser = new ConcurrentHashMap<>();
        for (int u = 0; u < 3; u++) {
            long user = user("u" + u);
            webhooksByUser.put(user, List.of(webhook(user, 0), webhook(user, 0)));
        }
        List<Long> users = List.copyOf(webhooksByUser.keySet());
        Map<String, Long> lastWrite = new ConcurrentHashMap<>();
        Map<String, Long> covered = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 20; round++) {
                AtomicBoolean writing = new AtomicBoolean(true);
                List<Future<?>> writersDone = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int node = t % 2;
                    writersDone.add(threads.submit(() -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        for (int i = 0; i < 25; i++) {
                            long user = users.get(r.nextInt(users.size()));
                            String message = r.nextBoolean() ? EVENTS : STREAMS;
                            long seen = change(dbs.get(node), stores.get(node), user, message);
                            for (String w : webhooksByUser.get(user)) {
                                lastWrite.merge(w + "/" + message, seen, Math::max);
                            }
                        }
                        return null;
                    }));
                }
                List<Future<?>> finishersDone = new ArrayList<>();
                for (int node = 0; node < 2; node++) {
                    int n = node;
                    finishersDone.add(threads.submit(() -> {
                        boolean drained = false;
                        while (!drained) {
                            boolean last = !writing.get();
                            List<DeliveryStore.Claim> claims = stores.get(n).claimDue(4);
                            if (!claims.isEmpty()) deliver(dbs.get(n), stores.get(n), claims);
                            for (DeliveryStore.Claim c : claims) {
                                for (DeliveryStore.Pending p : c.pending()) {
                                    covered.merge(c.lease().webhookId() + "/" + p.message(), p.lastSeen(), Math::max);
                                }
                            }
                            drained = last && claims.isEmpty() && stores.get(n).claimedCount() == 0;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : writersDone) f.get();
                writing.set(false);
                for (Future<?> f : finishersDone) f.get();
                // Both nodes drained while nothing was written: nothing may be pending, and every write covered.
                for (PostgresDeliveryStore s : stores) assertThat(s.claimDue(100)).isEmpty();
                long pending = admin.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_pending")
                        .mapTo(Long.class).one());
                assertThat(pending).as("round %d: pending after the drain", round).isZero();
                int r = round;
                lastWrite.forEach((key, s) -> assertThat(covered.getOrDefault(key, 0L))
                        .as("round %d: the last write of %s (last_seen %d) was delivered", r, key, s)
                        .isGreaterThanOrEqualTo(s));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aWritesNotificationsReadTheChangedUsersWebhooksThroughTheirIndexWhereOneUserHoldsMost() {
        // As in the bench's first scenario: one user with 1,000 webhooks, three with 10.
        long crowded = user("crowded");
        List<Long> others = List.of(user("few-1"), user("few-2"), user("few-3"));
        long few = others.get(0);
        admin.useHandle(h -> {
            h.execute("INSERT INTO webhooks (id, user_id, access_id, url, type, settings, min_interval_ms, "
                    + "max_retries, state, created, created_by, modified, modified_by) "
                    + "SELECT 'w' || i, CASE WHEN i <= 1000 THEN ? WHEN i <= 1010 THEN ? WHEN i <= 1020 THEN ? "
                    + "ELSE ? END, 'a', 'http://127.0.0.1/' || i, 'http', '{}', 0, 5, 'active', 0, 'a', 0, 'a' "
                    + "FROM generate_series(1, 1030) i", crowded, others.get(0), others.get(1), others.get(2));
            h.execute("ANALYZE webhooks");
        });
        // The plan the server keeps for the node's prepared statement: generic, for any users.
        String statement = PostgresDeliveryStore.RECORD_CHANGES.replace(":now", "$1").replace(":users", "$2")
                .replace(":messages", "$3");
        String plan = genericPlan(statement, "bigint, bigint[], text[]",
                "1, ARRAY[" + few + "]::bigint[], ARRAY['" + EVENTS + "']");
        assertThat(plan).contains("webhooks_user_state").doesNotContain("Seq Scan on webhooks");
    }
}
