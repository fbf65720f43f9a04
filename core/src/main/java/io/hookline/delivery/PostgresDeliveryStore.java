package io.hookline.delivery;

import io.hookline.auth.AccessStore;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.storage.PlannedEachTime;
import io.hookline.storage.Rows;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery state shared by several nodes on one PostgreSQL database. The database holds everything, including who
 * delivers what: a node claims due webhooks with {@code FOR NO KEY UPDATE SKIP LOCKED} (nodes claiming at once take
 * different webhooks, and never wait on each other) and writes on each a lease: itself as owner, an expiry and a
 * fencing counter ({@code lease_owner}, {@code lease_until}, {@code lease_fence}). A webhook whose lease is live is
 * claimed by nobody else, so at most one delivery of it is in flight in the cluster. The node renews its leases
 * while their deliveries run; an attempt is recorded only if its lease is still held (same fence, not expired),
 * otherwise its result is discarded: a node that was paused past its lease cannot overwrite what another node did
 * meanwhile. A node that dies leaves leases that expire; another node then claims those webhooks, and delivers with
 * the same notification id ({@code delivery_id} is set at the claim), so a receiver can tell a repeat.
 *
 * <p>Every time rule reads the database's clock ({@code clock_timestamp()}), not the node's: due times, lease
 * expiries and the throttle, backoff and {@code Retry-After} times an attempt records. A node whose clock is off
 * changes none of them. The node's own clock only times its waits, corrected by the offset measured at each claim.
 */
public final class PostgresDeliveryStore implements DeliveryStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDeliveryStore.class);
    /** The least idle time after which the server ends one of this store's transactions ({@link #boundIdle}). */
    private static final long MIN_IDLE_MS = 5000;
    /** The database's clock in microseconds since the epoch: each statement reads it afresh. */
    static final String DB_NOW = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT";

    private final Database db;
    private final RunRules rules;
    private final String node;
    private final long leaseMicros;
    /** The leases this node holds, by webhook id. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /**
     * Webhooks released with nothing to do now (their host is full): not claimed by this node again until offered,
     * as the in-memory schedule of one node does.
     */
    private final Set<String> parked = ConcurrentHashMap.newKeySet();
    private final Object wake = new Object();
    /** What the next claim looks at: offered webhooks by id, or everything. Guarded by {@link #wake}. */
    private final ClaimPlanner planner = new ClaimPlanner();
    /** The database's clock minus this node's, in microseconds, as last measured. */
    private volatile long offsetMicros;
    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong givenBack = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private ScheduledExecutorService renewer;

    /**
     * @param node         this node's name in the leases (unique in the cluster)
     * @param leaseTime    how long a lease lasts without renewal
     */
    public PostgresDeliveryStore(Database db, RunRules rules, String node, Duration leaseTime) {
        this.db = db;
        this.rules = rules;
        this.node = node;
        this.leaseMicros = leaseTime.toNanos() / 1000;
    }

    /** A name for this process in the leases: host, process id and a random part (a restarted node is another). */
    public static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + Ids.newToken().substring(1, 7);
    }

    public String node() {
        return node;
    }

    /** The statement of {@link #recordChanges} (parameters {@code :now}, {@code :users}, {@code :messages}). */
    static final String RECORD_CHANGES = "WITH changed AS (INSERT INTO user_changes (user_id, message, last_seen) "
            + "SELECT u, m, :now FROM unnest((SELECT :users), (SELECT :messages)) WITH ORDINALITY AS c(u, m, n) "
            + "ORDER BY n "
            + "ON CONFLICT (user_id, message) DO UPDATE "
            + "SET last_seen = GREATEST(user_changes.last_seen + 1, excluded.last_seen) "
            + "RETURNING user_id, message) "
            + "INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
            + "SELECT webhooks.id, changed.message, :now, :now "
            + "FROM changed CROSS JOIN LATERAL (SELECT w.id, w.access_id FROM webhooks w "
            + "WHERE w.user_id = changed.user_id AND w.scopes IS NULL OFFSET 0) webhooks "
            + "WHERE (SELECT count(*) FROM changed) > 0 "
            + "AND " + AccessStore.notExpiredAt("webhooks.access_id")
            + " ORDER BY changed.user_id, changed.message, webhooks.id "
            + "ON CONFLICT (webhook_id, message) DO NOTHING "
            + "RETURNING webhook_id, (SELECT w.next_attempt_at FROM webhooks w WHERE w.id = webhook_id)";

    /**
     * One statement, so that the {@code user_changes} rows (which the user's writes on other nodes wait for) are held
     * for one round trip less before the commit. Its one-time filter reads every row of {@code changed} before the
     * join produces anything: each {@code user_changes} row is locked, in the order of the arrays, before the first
     * pending row. GREATEST(... + 1) makes every write move last_seen, whatever the clocks of the nodes that wrote
     * before: a finishing delivery compares it ({@link #finish}). Each changed user's webhooks are a lookup of
     * their own: the generic plan of a prepared statement counts each user for the table's average, and as a plain
     * join, where one user of four held most webhooks, it read the whole table for every write of every user (1,030
     * rows, 0.40 ms, against 0.10 ms). Only where that average is itself a large share of the table (two users, say)
     * does the lookup read the table too. The arrays are read through scalar subqueries so that the server keeps that
     * generic plan: seeing their values, it found each write's own plan cheaper than the generic one and planned every
     * write anew (0.4 ms of its time per transaction, measured with {@code pg_stat_statements.track_planning}).
     */
    @Override
    public List<Due> recordChanges(Handle h, SortedMap<Long, SortedSet<String>> messagesByUser, long now) {
        List<Long> users = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        messagesByUser.forEach((user, kinds) -> kinds.forEach(m -> {
            users.add(user);
            messages.add(m);
        }));
        return h.createQuery(RECORD_CHANGES)
                .bind("now", now).bindArray("users", Long.class, users.toArray())
                .bindArray("messages", String.class, messages.toArray())
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).list();
    }

    @Override
    public Optional<Due> recordPending(Handle h, String webhookId, List<String> keys, long now) {
        boolean added = false;
        for (String key : keys.stream().sorted().toList()) {
            // xmax = 0: the row was inserted, not updated. An update moves last_seen, so that a delivery in flight
            // leaves it pending (it happened again).
            added |= h.createQuery("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                            + "VALUES (:webhook, :message, :now, :now) ON CONFLICT (webhook_id, message) DO UPDATE "
                            + "SET last_seen = GREATEST(webhook_pending.last_seen + 1, excluded.last_seen) "
                            + "RETURNING (xmax = 0)")
                    .bind("webhook", webhookId).bind("message", key).bind("now", now).mapTo(Boolean.class).one();
        }
        return added ? Optional.of(new Due(webhookId, 0)) : Optional.empty();
    }

    @Override
    public void start(List<String> messages) {
        db.writeAlone(tx -> {
            for (String message : messages) {
                tx.handle().createUpdate("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                                + "SELECT id, :message, :now, :now FROM webhooks WHERE state = 'active' AND "
                                + AccessStore.notExpiredAt("webhooks.access_id") + " ORDER BY id "
                                + "ON CONFLICT (webhook_id, message) DO UPDATE "
                                + "SET last_seen = GREATEST(webhook_pending.last_seen + 1, excluded.last_seen)")
                        .bind("message", message).bind("now", tx.now()).execute();
            }
            // A webhook whose last run was held back on Hookline's side is due at once: the restart may be the fix.
            return tx.handle().execute("UPDATE webhooks SET next_attempt_at = 0 WHERE state = 'active' "
                    + "AND last_run_status = 0 AND (runs::jsonb -> 0 ->> '" + RunRules.HELD + "') = 'true'");
        });
        long every = Math.max(1, leaseMicros / 3 / 1000);
        renewer = Executors.newSingleThreadScheduledExecutor(DeliveryEngine.named("hookline-lease-renewer"));
        renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
        wakeAt(Long.MIN_VALUE);
    }

    /**
     * Committed work. The scheduler wakes at the earliest due time offered (the database's clock): a webhook held back
     * by its throttle costs no claim before then. The claim checks due times again; a due time that moved earlier
     * since (a reactivation) comes with an offer of its own. Offered webhooks are claimed by id while there are few
     * of them; past {@link ClaimPlanner#MAX_OFFERED}, the next claim looks at everything.
     */
    @Override
    public void offer(Collection<Due> due) {
        if (due.isEmpty()) return;
        synchronized (wake) {
            boolean earlier = false;
            for (Due d : due) {
                // Flag first, then unpark: a release parking this webhook meanwhile either sees the flag or parked it
                // before this removal (see release).
                Held h = held.get(d.webhookId());
                if (h != null) h.offered().set(true);
                parked.remove(d.webhookId());
                earlier |= planner.expect(d.webhookId(), d.at());
            }
            if (earlier) wake.notifyAll();
        }
    }

    /** The webhook may be claimable from {@code dbMicros} on: it is claimed by id then, or by a claim of everything. */
    private void expect(String webhookId, long dbMicros) {
        synchronized (wake) {
            if (planner.expect(webhookId, dbMicros)) wake.notifyAll();
        }
    }

    @Override
    public void forget(String webhookId) {
        parked.remove(webhookId);
    }

    private void wakeAt(long dbMicros) {
        synchronized (wake) {
            if (planner.wakeAt(dbMicros)) wake.notifyAll();
        }
    }

    private long dbNowEstimate() {
        return db.clock().nowMicros() + offsetMicros;
    }

    @Override
    public void awaitWork(long maxWaitMs, int capacity) throws InterruptedException {
        synchronized (wake) {
            long now = dbNowEstimate();
            boolean room = held.size() < capacity;
            long due = planner.due();
            if (room && due <= now) return;
            // At least every maxWaitMs: work committed by other nodes, and leases that expired, are found by looking.
            long waitMs = maxWaitMs;
            if (room) waitMs = Math.min(waitMs, Math.max(1, (due - now + 999) / 1000));
            wake.wait(waitMs);
        }
    }

    /**
     * One transaction: picks up to {@code max} claimable webhooks due by the database's clock whose lease is free or
     * expired, skipping rows another node is claiming or finishing right now, and writes this node's lease on them.
     * The {@link ClaimPlanner} says whether it looks at offered webhooks only, by id, or at every claimable webhook.
     */
    @Override
    public List<Claim> claimDue(int max) {
        List<String> ids;
        synchronized (wake) {
            ids = planner.next(dbNowEstimate(), db.clock().nowMicros(), max, parked::contains);
        }
        try {
            ClaimRound round = ids.isEmpty() ? claim(max, null) : claim(ids.size(), ids);
            claims.addAndGet(round.claims().size());
            wakeAt(round.nextDue());
            return round.claims();
        } catch (RuntimeException e) {
            wakeAt(dbNowEstimate() + RunRules.RETRY_AFTER_STORE_FAILURE_MICROS);
            throw e;
        }
    }

    private record ClaimRound(List<Claim> claims, long nextDue) {
    }

    /**
     * A node paused in the middle of one of these transactions (a long garbage collection, SIGSTOP) would keep its
     * row locks, and the rows would be skipped by every claim for as long as it stays paused: the server ends such a
     * transaction once it has been idle for the lease time (at least a few seconds, so that a busy machine's slow
     * transaction is not ended instead).
     */
    private void boundIdle(Handle h) {
        h.execute("SET LOCAL idle_in_transaction_session_timeout = " + idleBoundMs());
    }

    private long idleBoundMs() {
        return Math.max(MIN_IDLE_MS, leaseMicros / 1000);
    }

    /**
     * Picks and leases in one statement, run as a transaction of its own (one round trip, its commit included): the
     * database's time, the leased webhooks with their pending messages, and the earliest due time of the others. Each
     * leased webhook gets a notification seed unless it kept one from an earlier attempt: a fresh random part per
     * claim, numbered per webhook. The statement takes its row locks with SKIP LOCKED and never waits for one.
     *
     * <p>With {@code ids} null it looks at every claimable webhook, and is planned at each execution
     * ({@link PlannedEachTime}): the number of pending messages swings from none to thousands, and a plan kept from a
     * quiet moment once made one claim take 35.8 s. With {@code ids} (at most {@link ClaimPlanner#MOST_BY_ID}) it looks
     * at those webhooks only, each found by its key, and "the others" are those of {@code ids} it did not pick. The
     * server keeps that statement's plan (the ids are read through a scalar subquery, whose value no plan sees) until
     * it analyzes a table again: in the bench's latency scenario the claim of everything spent 0.8–1.1 ms of the
     * server's time planning and 0.7–1.3 ms running, the claim by id 0.01–0.25 ms planning and 0.5–0.8 ms running
     * (BENCHMARKS.md, twenty-second runs).
     */
    private ClaimRound claim(int max, List<String> ids) {
        long nodeBefore = db.clock().nowMicros(); // before the lease's start, as the node's clock counts
        long[] now = new long[1];
        // The earliest due time among the claimable webhooks not picked comes out of the same statement (on each
        // row, and on a row of its own when nothing was picked): the scheduler sleeps until then.
        Long[] next = new Long[1];
        List<Row> leased = db.writeOneStatement(h -> {
            List<Row> rows = new ArrayList<>();
            var query = h.createQuery(ids == null ? ClaimStatements.ALL : ClaimStatements.OFFERED).bind("node", node)
                    .bind("lease", leaseMicros).bind("seed", "msg_" + Ids.newToken() + "-");
            if (ids == null) {
                query.addCustomizer(PlannedEachTime.STATEMENT).bind("max", max)
                        .bindArray("parked", String.class, parked.toArray());
            } else {
                query.bindArray("ids", String.class, ids.toArray());
            }
            query.map((rs, ctx) -> {
                        now[0] = rs.getLong("clock_now");
                        next[0] = Rows.nullableLong(rs, "next_due");
                        if (Rows.nullableLong(rs, "lease_fence") == null) return null;
                        return new Row(LocalDeliveryStore.TARGET.map(rs, ctx), LocalDeliveryStore.STATE.map(rs, ctx),
                                rs.getLong("lease_fence"), rs.getString("username"), LocalDeliveryStore.expired(
                                Rows.nullableLong(rs, "access_expires"), now[0]),
                                PendingMessages.ofJson(rs.getString("pending")));
                    })
                    .forEach(r -> {
                        if (r != null) rows.add(r);
                    });
            return rows;
        });
        // The database's time was read during the round trip: taken at its middle, to within half of it.
        offsetMicros = now[0] - (nodeBefore + db.clock().nowMicros()) / 2;
        long nextDue = ids == null && leased.size() == max ? Long.MIN_VALUE // a full batch: claim again at once
                : next[0] == null ? Long.MAX_VALUE : Math.max(next[0], now[0] + 1);
        // The access of a webhook expired: nothing is sent for it (the receiver's token expired too), and what was
        // pending from before is dropped so that it is not found due again. The webhook stays until its access goes.
        List<String> expired = leased.stream().filter(Row::expired).map(r -> r.target().webhookId()).toList();
        if (!expired.isEmpty()) {
            db.writeAlone(tx -> {
                tx.handle().createUpdate("DELETE FROM webhook_pending WHERE webhook_id IN (<ids>)")
                        .bindList("ids", expired).execute();
                return tx.handle().createUpdate("UPDATE webhooks SET lease_owner = NULL, lease_until = 0 "
                        + "WHERE id IN (<ids>)").bindList("ids", expired).execute();
            });
        }
        List<Row> rows = leased.stream().filter(r -> !r.expired())
                .sorted(Comparator.comparingLong((Row r) -> r.state().nextAttemptAt())
                        .thenComparing(r -> r.target().webhookId()))
                .toList();
        if (rows.isEmpty()) return new ClaimRound(List.of(), nextDue);
        List<Claim> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String id = r.target().webhookId();
            held.put(id, new Held(r.fence(), nodeBefore, new AtomicBoolean()));
            out.add(new Claim(new Lease(id, r.fence()), r.target(), r.state(), r.pending(), r.username()));
        }
        return new ClaimRound(out, nextDue);
    }

    private record Row(DeliveryTarget target, DeliveryState state, long fence, String username, boolean expired,
                       List<Pending> pending) {
    }

    /** A lease this node holds: its fence, and when (on this node's clock) the claim that took it began. */
    private record Held(long fence, long claimedAtMicros, AtomicBoolean offered) {
    }

    /**
     * A claim is started only while at least a third of its lease remains by this node's own clock: a node that was
     * paused between its claim and the delivery (a long garbage collection, SIGSTOP) may have lost the lease to
     * another node meanwhile, and would send a second request for the same notification.
     */
    @Override
    public boolean mayStart(Lease lease) {
        Held h = held.get(lease.webhookId());
        return h != null && h.fence() == lease.fence()
                && db.clock().nowMicros() - h.claimedAtMicros() < leaseMicros * 2 / 3;
    }

    /** Gives the lease back at once; what remains is claimable when due (by any node). */
    @Override
    public void release(Lease lease, boolean pendingRemains, long due) {
        givenBack.incrementAndGet();
        // Parked before the lease is forgotten, and unparked if work was offered while it was held: an offer that
        // came between the claim and this release (a change committed meanwhile, a place freed at the host) must not
        // be lost to the parking that follows it.
        boolean park = !pendingRemains && due <= db.clock().nowMicros();
        if (park) parked.add(lease.webhookId());
        Held h = held.remove(lease.webhookId());
        if (park && h != null && h.offered().get()) {
            parked.remove(lease.webhookId());
            expect(lease.webhookId(), Long.MIN_VALUE);
        } else if (pendingRemains) {
            expect(lease.webhookId(), due + offsetMicros);
        }
        try {
            db.writeAlone(tx -> {
                boundIdle(tx.handle());
                return tx.handle().createUpdate("UPDATE webhooks SET lease_owner = NULL, lease_until = 0 "
                                + "WHERE id = :id AND lease_owner = :node AND lease_fence = :fence")
                        .bind("id", lease.webhookId()).bind("node", node).bind("fence", lease.fence()).execute();
            });
        } catch (RuntimeException e) {
            LOG.warn("Releasing the lease on webhook {} failed; it expires on its own", lease.webhookId(), e);
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /**
     * Records the attempts whose lease this node still holds, discards the others, and ends the leases.
     *
     * <p><b>Locks, and why no message is lost and no deadlock cycle forms.</b> This transaction runs alone (never in a
     * writer's group) and locks three kinds of rows, in this order: {@code webhooks} rows ({@code NO KEY UPDATE}, in
     * id order), then {@code user_changes} rows ({@code FOR SHARE SKIP LOCKED}: it never waits for them), then the
     * {@code webhook_pending} rows it deletes (by webhook then message). A writer's transaction (a group of API writes)
     * first runs its writes, then records their notifications ({@link DeliveryOutbox}): every {@code user_changes}
     * row of the group (by user then message) before any pending row, then the pending rows of plain webhooks, then
     * those of scoped webhooks (by webhook then key). Its writes take no lock on a {@code webhooks} row: a write that
     * changes or deletes webhooks says so ({@code WriteTx.locksWebhooks}) and runs in a transaction of its own, which
     * locks them in id order and before anything this transaction waits for; the writes' foreign-key checks take
     * {@code KEY SHARE}, which conflicts with no lock taken here. Now suppose a cycle. This transaction waits on no
     * {@code user_changes} row. Waiting on a writer's pending row can only be a scoped webhook's row it updated in
     * place (a row it inserted is invisible to the {@code DELETE}); a plain row the writer would wait for is one of a
     * message whose change row the writer holds, which this transaction could then not have locked; and the scoped
     * rows are taken by both in (webhook, key) order. Waiting on a {@code webhooks} row, this transaction holds
     * webhooks rows of lower ids only, and the transaction that holds it, a client changing webhooks, takes no other
     * webhooks row out of order. A write that deletes accesses takes the {@code generations} row before any other
     * ({@code WriteTx.deletesAccesses}), so whoever waits for that row holds nothing. Claims and renewals skip locked
     * rows and never wait; a release locks one webhooks row and nothing else. So whoever waits here waits for a
     * transaction that waits for nothing this one holds: no cycle.
     *
     * <p>A delivered message is removed only if it did not happen again after the claim read it
     * ({@link PendingMessages#lockChanges}). A writer that is adding the same message but has not committed holds the
     * user's {@code user_changes} row: the message is left pending, as that writer's commit makes it happen again. A
     * writer that starts after this transaction locked that row waits for it, and then adds its message anew. A
     * scoped webhook's pending row is updated in place by the writer: the {@code DELETE} waits for that row and
     * re-checks its condition on the new version.
     */
    @Override
    public List<Finished> finish(WriteTx tx, List<Attempt> attempts) {
        Handle h = tx.handle();
        long offset = offsetMicros; // one reading for the whole batch: runs and their details agree
        List<Attempt> sorted = attempts.stream()
                .sorted(Comparator.comparing(a -> a.claim().lease().webhookId())).toList();
        Map<String, Current> current = new HashMap<>();
        // One statement: bounds this transaction's idle time (boundIdle), reads the database's time once, and locks
        // the webhooks rows in id order. Rows deleted meanwhile are not returned: their attempts record nothing.
        long[] now = new long[1];
        h.createQuery("WITH clock AS MATERIALIZED (SELECT set_config('idle_in_transaction_session_timeout', :ms, "
                        + "true) AS idle, " + DB_NOW + " AS now) "
                        + "SELECT clock.now AS clock_now, w.id, w.state, w.lease_owner, w.lease_fence, "
                        + "w.lease_until >= clock.now AS live, " + LocalDeliveryStore.STATE_COLUMNS
                        + " FROM webhooks w, clock WHERE w.id IN (<ids>) ORDER BY w.id FOR NO KEY UPDATE OF w")
                .bind("ms", Long.toString(idleBoundMs()))
                .bindList("ids", sorted.stream().map(a -> a.claim().lease().webhookId()).toList())
                .map((rs, ctx) -> {
                    now[0] = rs.getLong("clock_now");
                    return new Current(rs.getString("id"), LocalDeliveryStore.STATE.map(rs, ctx),
                            "active".equals(rs.getString("state")), node.equals(rs.getString("lease_owner"))
                            && rs.getBoolean("live") ? rs.getLong("lease_fence") : -1);
                })
                .forEach(c -> current.put(c.id(), c));

        Map<String, Finished> results = new HashMap<>();
        Map<String, RunRules.Run> runs = new TreeMap<>();
        Map<String, List<Pending>> delivered = new TreeMap<>();
        PreparedBatch save = h.prepareBatch("UPDATE webhooks SET " + LocalDeliveryStore.RUN_COLUMNS
                + ", lease_owner = NULL, lease_until = 0 WHERE id = :id");
        for (Attempt a : sorted) {
            Lease lease = a.claim().lease();
            Current c = current.get(lease.webhookId());
            if (c == null) {
                results.put(lease.webhookId(), new Finished(lease, false, null, false)); // deleted meanwhile
                continue;
            }
            if (c.fence() != lease.fence()) {
                // Lease lost (expired, perhaps claimed by another node): this result is late; the work is redone.
                discarded.incrementAndGet();
                LOG.warn("Discarded a late delivery result of webhook {}: its lease was lost", lease.webhookId());
                results.put(lease.webhookId(), new Finished(lease, false, c.state(), false));
                continue;
            }
            long at = startOnDatabaseClock(a, offset, now[0]);
            RunRules.Run run = a.held()
                    ? rules.applyHeld(c.state(), a.outcome().reason(), at, now[0], a.minIntervalMs(), a.deliveryId())
                    : rules.apply(a.claim().target(), c.state(), a.outcome(), at, now[0], a.minIntervalMs(),
                    a.deliveryId());
            runs.put(lease.webhookId(), run);
            LocalDeliveryStore.bindRun(save, lease.webhookId(), run).add();
            if (a.outcome() instanceof DeliveryOutcome.Delivered) delivered.put(lease.webhookId(), a.claim().pending());
        }
        if (!runs.isEmpty()) save.execute();
        // The attempt log first: the change rows locked below make writes of those users wait until the commit, so
        // as little as possible runs after them. Its next planned attempt assumes that a webhook delivered to has
        // nothing left, and that one not delivered to keeps its messages; the few others are set right once known.
        List<AttemptLog.Recorded> details = new ArrayList<>(runs.size());
        for (Attempt a : sorted) {
            String id = a.claim().lease().webhookId();
            RunRules.Run run = runs.get(id);
            if (run == null) continue;
            // The details show the start as the run does: on the database's clock.
            Tried t = a.tried();
            Attempt onDatabaseClock = new Attempt(a.claim(), new Tried(t.attempted(), t.error(),
                    startOnDatabaseClock(a, offset, now[0]), t.durationMicros()), a.minIntervalMs(), a.deliveryId());
            details.add(new AttemptLog.Recorded(onDatabaseClock, run.state().runCount(),
                    delivered.containsKey(id) ? null : nextAttempt(current.get(id), run)));
        }
        AttemptLog.record(h, details, rules.runsSize());
        // A message whose change a writer is adding right now has happened again: it stays pending.
        Map<String, Set<String>> busy = PendingMessages.lockChanges(h, delivered);
        busy.forEach((webhookId, messages) -> delivered.computeIfPresent(webhookId, (id, pending) ->
                pending.stream().filter(p -> !messages.contains(p.message())).toList()));
        PendingMessages.removeDelivered(h, delivered);
        Set<String> remaining = runs.isEmpty() ? Set.of() : new HashSet<>(h.createQuery(
                        "SELECT DISTINCT webhook_id FROM webhook_pending WHERE webhook_id IN (<ids>)")
                .bindList("ids", List.copyOf(runs.keySet())).mapTo(String.class).list());
        List<AttemptLog.Recorded> planned = new ArrayList<>();
        for (AttemptLog.Recorded r : details) {
            String id = r.attempt().claim().lease().webhookId();
            Current c = current.get(id);
            RunRules.Run run = runs.get(id);
            boolean remains = c.active() && !run.deactivates() && remaining.contains(id);
            results.put(id, new Finished(new Lease(id, c.fence()), remains, run.state(),
                    c.active() && run.deactivates()));
            Long next = remains ? run.state().nextAttemptAt() : null;
            if (!Objects.equals(next, r.nextAttempt())) {
                planned.add(new AttemptLog.Recorded(r.attempt(), r.runNumber(), next));
            }
        }
        AttemptLog.plan(h, planned);
        return attempts.stream().map(a -> results.get(a.claim().lease().webhookId())).toList();
    }

    private record Current(String id, DeliveryState state, boolean active, long fence) {
    }

    /**
     * When an attempt started, on the database's clock: the node's start plus the node's offset, which is known to
     * within half a claim's round trip only. The attempt started neither before the due time its claim honored nor
     * after this finish, so the estimate is kept within those two: runs are then never shown closer together than the
     * throttle or the backoff let them be.
     */
    static long startOnDatabaseClock(Attempt a, long offset, long finishedAt) {
        long due = a.claim().state() == null ? Long.MIN_VALUE : a.claim().state().nextAttemptAt();
        return Math.min(finishedAt, Math.max(a.startMicros() + offset, due));
    }

    /** The next planned attempt an attempt's details show for a webhook not delivered to: none if it stops. */
    private static Long nextAttempt(Current c, RunRules.Run run) {
        return c.active() && !run.deactivates() ? run.state().nextAttemptAt() : null;
    }

    @Override
    public void ended(List<Finished> finished) {
        for (Finished f : finished) {
            // The finish released the lease when it committed: by now this node may have claimed the webhook again,
            // and that newer claim stays held.
            held.computeIfPresent(f.lease().webhookId(), (id, h) -> h.fence() == f.lease().fence() ? null : h);
            if (f.pendingRemains()) expect(f.lease().webhookId(), f.state().nextAttemptAt());
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Extends this node's live leases; one that expired meanwhile is not renewed (its finish will be refused). */
    void renew() {
        if (held.isEmpty()) return;
        Map<String, Held> mine = Map.copyOf(held);
        int renewed = db.writeAlone(tx -> {
            boundIdle(tx.handle());
            return tx.handle().createUpdate("UPDATE webhooks SET lease_until = " + DB_NOW + " + :lease "
                        + "WHERE id IN (SELECT id FROM webhooks WHERE id = ANY(:ids) AND lease_owner = :node "
                        + "AND lease_until >= " + DB_NOW + " ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)")
                .bind("lease", leaseMicros).bindArray("ids", String.class, mine.keySet().toArray())
                .bind("node", node).execute();
        });
        if (renewed < mine.size()) LOG.debug("Renewed {} of {} leases", renewed, mine.size());
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("Renewing delivery leases failed; tried again shortly", e);
        }
    }

    @Override
    public void releaseAll() {
        if (renewer != null) renewer.shutdownNow();
        try {
            int released = db.writeAlone(tx -> tx.handle().createUpdate("UPDATE webhooks SET lease_owner = NULL, "
                    + "lease_until = 0 WHERE lease_owner = :node").bind("node", node).execute());
            if (released > 0) LOG.info("Released {} delivery lease(s) at stop", released);
        } catch (RuntimeException e) {
            LOG.warn("Releasing this node's delivery leases failed; they expire on their own", e);
        }
        held.clear();
    }

    @Override
    public int claimedCount() {
        return held.size();
    }

    /** Webhooks of the cluster with something pending that nobody delivers now. */
    @Override
    public int scheduledCount() {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM webhooks w WHERE w.state = 'active' "
                        + "AND w.lease_until < " + DB_NOW
                        + " AND EXISTS (SELECT 1 FROM webhook_pending p WHERE p.webhook_id = w.id)")
                .mapTo(Integer.class).one());
    }

    @Override
    public void awaitReleased(long maxWaitMs) throws InterruptedException {
        synchronized (wake) {
            if (!held.isEmpty()) wake.wait(maxWaitMs);
        }
    }

    @Override
    public com.fasterxml.jackson.databind.node.ArrayNode attempts(Handle h, String webhookId) {
        return AttemptLog.read(h, webhookId);
    }

    @Override
    public Map<String, DeliveryState> states(Handle h, Collection<String> webhookIds) {
        return LocalDeliveryStore.readStates(h, webhookIds);
    }

    @Override
    public DeliveryState reactivate(Handle h, String webhookId, DeliveryState current, long due) {
        return LocalDeliveryStore.reactivated(h, webhookId, current, due);
    }

    /** Leased webhooks are being delivered (by some node), not late. */
    private static final String UNCLAIMED_LATE = "FROM (" + LocalDeliveryStore.DUE_SINCE + ") late "
            + "JOIN webhooks w ON w.id = late.id WHERE w.lease_until < " + DB_NOW;

    @Override
    public Optional<Late> mostLate(long now) {
        return db.read(h -> h.createQuery("SELECT late.id, late.due_since " + UNCLAIMED_LATE
                        + " ORDER BY late.due_since LIMIT 1").bind("before", now)
                .map((rs, ctx) -> new Late(rs.getString(1), rs.getLong(2))).findOne());
    }

    @Override
    public long lateCount(long dueBefore) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) " + UNCLAIMED_LATE).bind("before", dueBefore)
                .mapTo(Long.class).one());
    }

    @Override
    public long inactiveCount() {
        return db.read(LocalDeliveryStore::inactiveCount);
    }

    /** Claims this node made since it started. */
    public long claims() {
        return claims.get();
    }

    /**
     * Claims this node gave back without recording an attempt ({@link #release}: the host was full, nothing was left to
     * deliver, the claim could no longer start, or recording failed), each in a transaction of its own.
     */
    public long givenBack() {
        return givenBack.get();
    }

    /** Results this node discarded because their lease was lost. */
    public long discarded() {
        return discarded.get();
    }
}
