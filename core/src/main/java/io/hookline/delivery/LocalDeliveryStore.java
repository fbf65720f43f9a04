package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.AccessStore;
import io.hookline.auth.UserStore;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.Database;
import io.hookline.storage.Json;
import io.hookline.storage.Rows;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Delivery state for one process on one SQLite file: the due times in memory ({@link Schedule}, rebuilt from the
 * database at start-up), the rest in the delivery columns of {@code webhooks} and in {@code webhook_pending} and
 * {@code user_changes}. The schedule already keeps one claim per webhook, so a lease's fence is the webhook row's
 * {@code modified} stamp when it was claimed: when a client changed the webhook during the attempt, the run is applied
 * to the webhook as it is now.
 */
public final class LocalDeliveryStore implements DeliveryStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDeliveryStore.class);
    static final String STATE_COLUMNS = "current_retries, run_count, fail_count, last_run_status, "
            + "last_run_time, runs, next_attempt_at, delivery_id";
    static final String TARGET_COLUMNS = "id, user_id, url, type, settings, min_interval_ms, max_retries, "
            + "state, modified, (SELECT a.expires FROM accesses a WHERE a.id = webhooks.access_id) AS access_expires";
    /** What an attempt changes, bound by {@link #bindRun}. */
    static final String RUN_COLUMNS = "current_retries = :currentRetries, run_count = :runCount, "
            + "fail_count = :failCount, last_run_status = :lastRunStatus, last_run_time = :lastRunTime, runs = :runs, "
            + "next_attempt_at = :nextAttemptAt, delivery_id = :deliveryId, "
            + "state = CASE WHEN :deactivate THEN 'inactive' ELSE state END";

    /** A row of {@link #TARGET_COLUMNS} as a delivery target. */
    static final RowMapper<DeliveryTarget> TARGET = (rs, ctx) -> new DeliveryTarget(rs.getString("id"),
            rs.getLong("user_id"), rs.getString("url"), rs.getString("type"),
            (ObjectNode) Json.read(rs.getString("settings")), rs.getLong("min_interval_ms"), rs.getInt("max_retries"),
            "active".equals(rs.getString("state")));

    static final RowMapper<DeliveryState> STATE = (rs, ctx) -> new DeliveryState(
            rs.getInt("current_retries"),
            rs.getLong("run_count"),
            rs.getLong("fail_count"),
            rs.getInt("last_run_status"),
            rs.getLong("last_run_time"),
            (ArrayNode) Json.read(rs.getString("runs")),
            rs.getLong("next_attempt_at"),
            rs.getString("delivery_id"));

    private final Database db;
    private final RunRules rules;
    private final Schedule schedule = new Schedule();

    public LocalDeliveryStore(Database db, RunRules rules) {
        this.db = db;
        this.rules = rules;
    }

    @Override
    public List<Due> recordChanges(Handle h, SortedMap<Long, SortedSet<String>> messagesByUser, long now) {
        messagesByUser.forEach((user, messages) -> messages.forEach(message ->
                h.createUpdate("INSERT INTO user_changes (user_id, message, last_seen) VALUES (:user, :message, :now) "
                                + "ON CONFLICT (user_id, message) DO UPDATE SET last_seen = excluded.last_seen")
                        .bind("user", user).bind("message", message).bind("now", now).execute()));
        List<Due> due = new ArrayList<>();
        messagesByUser.forEach((user, messages) -> messages.forEach(m -> due.addAll(recordPending(h, user, m, now))));
        return due;
    }

    private static List<Due> recordPending(Handle h, long userId, String message, long now) {
        // Webhooks that had it pending already are scheduled, in flight (their delivery will find it happened
        // again), or waiting for their host: only the others need offering. Inactive webhooks keep what they miss
        // pending too (one row per kind of change, whatever the rate), delivered when they are made active again.
        List<String> added = h.createQuery("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                        + "SELECT id, :message, :now, :now FROM webhooks WHERE user_id = :user AND scopes IS NULL "
                        + "AND " + AccessStore.notExpiredAt("webhooks.access_id")
                        + " ON CONFLICT (webhook_id, message) DO NOTHING RETURNING webhook_id")
                .bind("message", message).bind("now", now).bind("user", userId).mapTo(String.class).list();
        if (added.isEmpty()) return List.of();
        return h.createQuery("SELECT id, next_attempt_at FROM webhooks WHERE id IN (<ids>) AND state = 'active'")
                .bindList("ids", added).map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).list();
    }

    @Override
    public Optional<Due> recordPending(Handle h, String webhookId, List<String> keys, long now) {
        boolean added = false;
        for (String key : keys) {
            int inserted = h.createUpdate("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                            + "VALUES (:webhook, :message, :now, :now) ON CONFLICT (webhook_id, message) DO NOTHING")
                    .bind("webhook", webhookId).bind("message", key).bind("now", now).execute();
            if (inserted == 0) {
                // Already pending: moving last_seen leaves it pending after a delivery in flight.
                h.createUpdate("UPDATE webhook_pending SET last_seen = :now WHERE webhook_id = :webhook "
                                + "AND message = :message")
                        .bind("webhook", webhookId).bind("message", key).bind("now", now).execute();
            }
            added |= inserted > 0;
        }
        if (!added) return Optional.empty();
        return h.createQuery("SELECT id, next_attempt_at FROM webhooks WHERE id = ? AND state = 'active'")
                .bind(0, webhookId)
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).findOne();
    }

    @Override
    public void start(List<String> messages) {
        for (String message : messages) {
            db.write(tx -> tx.handle().createUpdate("INSERT INTO webhook_pending (webhook_id, message, first_seen, "
                            + "last_seen) SELECT id, :message, :now, :now FROM webhooks WHERE state = 'active' AND "
                            + AccessStore.notExpiredAt("webhooks.access_id")
                            + " ON CONFLICT (webhook_id, message) DO UPDATE SET last_seen = excluded.last_seen")
                    .bind("message", message).bind("now", tx.now()).execute());
        }
        // Only a webhook whose last run failed without an answer (status 0) may have been held: its runs are read.
        offer(db.read(h -> h.createQuery("SELECT w.id, w.next_attempt_at, CASE WHEN w.last_run_status = 0 THEN w.runs "
                        + "END AS runs FROM webhooks w WHERE w.state = 'active' "
                        + "AND w.id IN (SELECT DISTINCT webhook_id FROM webhook_pending)")
                .map((rs, ctx) -> new Due(rs.getString(1), lastRunHeld(rs.getString(3)) ? 0 : rs.getLong(2)))
                .list()));
    }

    private static boolean lastRunHeld(String runs) {
        return runs != null && RunRules.isHeld(Json.read(runs).path(0));
    }

    @Override
    public void offer(Collection<Due> due) {
        if (due.isEmpty()) return;
        Map<String, Long> byId = new HashMap<>();
        due.forEach(d -> byId.merge(d.webhookId(), d.at(), Math::min));
        schedule.offerAll(byId);
    }

    @Override
    public void forget(String webhookId) {
        schedule.forget(webhookId);
    }

    @Override
    public void awaitWork(long maxWaitMs, int capacity) throws InterruptedException {
        schedule.awaitWork(db.clock()::nowMicros, maxWaitMs, capacity);
    }

    /** Reads the due webhooks, their state, what is pending for them and their users' names in one transaction. */
    @Override
    public List<Claim> claimDue(int max) {
        long now = db.clock().nowMicros();
        List<String> ids = schedule.takeDue(now, max);
        if (ids.isEmpty()) return List.of();
        List<String> ofExpiredAccesses = new ArrayList<>();
        try {
            List<Claim> claims = db.read(h -> {
                Map<String, Row> rows = new HashMap<>();
                h.createQuery("SELECT " + TARGET_COLUMNS + ", " + STATE_COLUMNS + " FROM webhooks WHERE id IN (<ids>)")
                        .bindList("ids", ids)
                        .map((rs, ctx) -> new Row(TARGET.map(rs, ctx), STATE.map(rs, ctx), rs.getLong("modified"),
                                expired(Rows.nullableLong(rs, "access_expires"), now)))
                        .forEach(r -> rows.put(r.target().webhookId(), r));
                Map<String, List<Pending>> pending = PendingMessages.of(h, ids);
                Map<Long, String> usernames = UserStore.usernames(h,
                        rows.values().stream().map(r -> r.target().userId()).distinct().toList());
                List<Claim> out = new ArrayList<>(ids.size());
                for (String id : ids) {
                    Row r = rows.get(id);
                    if (r != null && r.accessExpired()) ofExpiredAccesses.add(id);
                    // Nothing is delivered for an expired access: its claim has nothing to deliver.
                    List<Pending> toDeliver = r == null || r.accessExpired() ? List.of()
                            : pending.getOrDefault(id, List.of());
                    out.add(r == null ? new Claim(new Lease(id, 0), null, null, List.of(), null)
                            : new Claim(new Lease(id, r.modified()), r.target(), r.state(), toDeliver,
                            usernames.get(r.target().userId())));
                }
                return out;
            });
            dropPending(ofExpiredAccesses);
            return claims;
        } catch (RuntimeException e) {
            long later = db.clock().nowMicros() + RunRules.RETRY_AFTER_STORE_FAILURE_MICROS;
            ids.forEach(id -> schedule.finished(id, true, later));
            throw e;
        }
    }

    private record Row(DeliveryTarget target, DeliveryState state, long modified, boolean accessExpired) {
    }

    /** Whether an access expiry ({@code null}: never expires) has passed at {@code now}. */
    static boolean expired(Long expires, long now) {
        return expires != null && expires <= now;
    }

    /**
     * The access of these webhooks expired: what was pending from before is not sent (the receiver's token has
     * expired too). Dropped, so that it is not found due again; the webhooks stay until their access is deleted.
     */
    private void dropPending(List<String> webhookIds) {
        if (webhookIds.isEmpty()) return;
        db.writeAsync(tx -> tx.handle().createUpdate("DELETE FROM webhook_pending WHERE webhook_id IN (<ids>)")
                        .bindList("ids", webhookIds).execute())
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        LOG.error("Dropping what was pending for {} webhook(s) of expired accesses failed",
                                webhookIds.size(), failure);
                    }
                });
    }

    /** One node delivers: a claim stays its own however long it waits. */
    @Override
    public boolean mayStart(Lease lease) {
        return true;
    }

    @Override
    public void release(Lease lease, boolean pendingRemains, long due) {
        schedule.finished(lease.webhookId(), pendingRemains, due);
    }

    @Override
    public List<Finished> finish(WriteTx tx, List<Attempt> attempts) {
        Handle h = tx.handle();
        List<RunRules.Run> runs = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) runs.add(apply(a, a.claim().state(), tx.now()));
        // Saved where the lease holds: the webhook is as it was when claimed (so still active).
        PreparedBatch batch = h.prepareBatch("UPDATE webhooks SET " + RUN_COLUMNS
                + " WHERE id = :id AND modified = :fence");
        for (int i = 0; i < attempts.size(); i++) {
            Lease lease = attempts.get(i).claim().lease();
            bindRun(batch, lease.webhookId(), runs.get(i)).bind("fence", lease.fence()).add();
        }
        int[] saved = batch.execute();
        boolean[] activeBefore = new boolean[attempts.size()];
        Map<String, List<Pending>> delivered = new HashMap<>();
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            String id = a.claim().lease().webhookId();
            activeBefore[i] = true;
            if (saved[i] == 0) {
                // A client changed (or deleted) the webhook during the attempt: apply the run to what is there now.
                Current now = current(h, id);
                if (now == null) {
                    runs.set(i, null);
                    continue;
                }
                activeBefore[i] = now.active();
                runs.set(i, apply(a, now.state(), tx.now()));
                bindRun(h.createUpdate("UPDATE webhooks SET " + RUN_COLUMNS + " WHERE id = :id"), id, runs.get(i))
                        .execute();
            }
            if (a.outcome() instanceof DeliveryOutcome.Delivered) delivered.put(id, a.claim().pending());
        }
        // A delivered message that happened again during the attempt stays pending: the webhook is due again.
        Set<String> again = PendingMessages.removeDelivered(h, delivered);
        List<Finished> out = new ArrayList<>(attempts.size());
        List<AttemptLog.Recorded> details = new ArrayList<>(attempts.size());
        for (int i = 0; i < attempts.size(); i++) {
            Lease lease = attempts.get(i).claim().lease();
            RunRules.Run run = runs.get(i);
            if (run == null) {
                out.add(new Finished(lease, false, null, false)); // deleted
                continue;
            }
            boolean active = activeBefore[i] && !run.deactivates();
            boolean failed = !delivered.containsKey(lease.webhookId());
            boolean remains = active && (failed || again.contains(lease.webhookId()));
            out.add(new Finished(lease, remains, run.state(), activeBefore[i] && run.deactivates()));
            details.add(new AttemptLog.Recorded(attempts.get(i), run.state().runCount(),
                    remains ? run.state().nextAttemptAt() : null));
        }
        AttemptLog.record(h, details, rules.runsSize());
        return out;
    }

    private record Current(DeliveryState state, boolean active) {
    }

    private static Current current(Handle h, String webhookId) {
        return h.createQuery("SELECT state, " + STATE_COLUMNS + " FROM webhooks WHERE id = ?").bind(0, webhookId)
                .map((rs, ctx) -> new Current(STATE.map(rs, ctx), "active".equals(rs.getString("state"))))
                .findOne().orElse(null);
    }

    private RunRules.Run apply(Attempt a, DeliveryState state, long now) {
        if (a.held()) {
            return rules.applyHeld(state, a.outcome().reason(), a.startMicros(), now, a.minIntervalMs(),
                    a.deliveryId());
        }
        return rules.apply(a.claim().target(), state, a.outcome(), a.startMicros(), now, a.minIntervalMs(),
                a.deliveryId());
    }

    static <S extends SqlStatement<S>> S bindRun(S statement, String webhookId, RunRules.Run run) {
        DeliveryState s = run.state();
        return statement.bind("id", webhookId)
                .bind("currentRetries", s.currentRetries())
                .bind("runCount", s.runCount()).bind("failCount", s.failCount())
                .bind("lastRunStatus", s.lastRunStatus()).bind("lastRunTime", s.lastRunTime())
                .bind("runs", Json.write(s.runs())).bind("nextAttemptAt", s.nextAttemptAt())
                .bind("deliveryId", s.deliveryId())
                .bind("deactivate", run.deactivates());
    }

    @Override
    public void ended(List<Finished> finished) {
        finished.forEach(f -> schedule.finished(f.lease().webhookId(), f.pendingRemains(),
                f.state() == null ? 0 : f.state().nextAttemptAt()));
    }

    /** Nothing to give up: the claims live in this process's memory and end with it. */
    @Override
    public void releaseAll() {
    }

    @Override
    public int claimedCount() {
        return schedule.inFlightCount();
    }

    @Override
    public int scheduledCount() {
        return schedule.scheduledCount();
    }

    @Override
    public void awaitReleased(long maxWaitMs) throws InterruptedException {
        schedule.awaitIdle(maxWaitMs);
    }

    @Override
    public ArrayNode attempts(Handle h, String webhookId) {
        return AttemptLog.read(h, webhookId);
    }

    @Override
    public Map<String, DeliveryState> states(Handle h, Collection<String> webhookIds) {
        return readStates(h, webhookIds);
    }

    /** The delivery state of these webhooks, by id; shared by the stores of both engines. */
    static Map<String, DeliveryState> readStates(Handle h, Collection<String> webhookIds) {
        Map<String, DeliveryState> out = new HashMap<>();
        if (webhookIds.isEmpty()) return out;
        h.createQuery("SELECT id, " + STATE_COLUMNS + " FROM webhooks WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(webhookIds))
                .map((rs, ctx) -> Map.entry(rs.getString("id"), STATE.map(rs, ctx)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public DeliveryState reactivate(Handle h, String webhookId, DeliveryState current, long due) {
        return reactivated(h, webhookId, current, due);
    }

    static DeliveryState reactivated(Handle h, String webhookId, DeliveryState current, long due) {
        h.createUpdate("UPDATE webhooks SET current_retries = 0, next_attempt_at = :due WHERE id = :id")
                .bind("due", due).bind("id", webhookId).execute();
        return current.reactivated(due);
    }

    /** {@link Late} of every active webhook with pending messages, due since before {@code :before}. */
    static final String DUE_SINCE = "SELECT id, due_since FROM (SELECT w.id AS id, CASE WHEN "
            + "MIN(p.first_seen) > w.next_attempt_at THEN MIN(p.first_seen) ELSE w.next_attempt_at END AS due_since "
            + "FROM webhooks w JOIN webhook_pending p ON p.webhook_id = w.id WHERE w.state = 'active' "
            + "GROUP BY w.id, w.next_attempt_at) due WHERE due_since < :before";

    @Override
    public Optional<Late> mostLate(long now) {
        Set<String> claimed = schedule.inFlightIds();
        // Claimed webhooks are running, not late: one row more than there are claims is enough to skip them.
        return db.read(h -> h.createQuery(DUE_SINCE + " ORDER BY due_since LIMIT :n")
                        .bind("before", now).bind("n", claimed.size() + 1)
                        .map((rs, ctx) -> new Late(rs.getString(1), rs.getLong(2))).list())
                .stream().filter(l -> !claimed.contains(l.webhookId())).findFirst();
    }

    @Override
    public long lateCount(long dueBefore) {
        Set<String> claimed = schedule.inFlightIds();
        return db.read(h -> claimed.isEmpty()
                ? h.createQuery("SELECT COUNT(*) FROM (" + DUE_SINCE + ") late").bind("before", dueBefore)
                .mapTo(Long.class).one()
                : h.createQuery("SELECT COUNT(*) FROM (" + DUE_SINCE + ") late WHERE id NOT IN (<claimed>)")
                .bind("before", dueBefore).bindList("claimed", List.copyOf(claimed)).mapTo(Long.class).one());
    }

    @Override
    public long inactiveCount() {
        return db.read(LocalDeliveryStore::inactiveCount);
    }

    static long inactiveCount(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM webhooks WHERE state = 'inactive'").mapTo(Long.class).one();
    }
}
