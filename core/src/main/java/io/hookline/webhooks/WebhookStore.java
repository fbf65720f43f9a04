package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.Json;
import io.hookline.storage.Tracking;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Rows of {@code webhooks} and {@code webhook_pending}. */
public final class WebhookStore {
    private static final String COLUMNS = "id, user_id, access_id, url, type, settings, scopes, min_interval_ms, "
            + "max_retries, current_retries, state, run_count, fail_count, last_run_status, last_run_time, runs, "
            + "next_attempt_at, delivery_id, " + Tracking.COLUMNS;

    /** What a delivery attempt changes, bound by {@link #bindRun}. */
    private static final String RUN_COLUMNS = "state = :state, current_retries = :currentRetries, "
            + "run_count = :runCount, fail_count = :failCount, last_run_status = :lastRunStatus, "
            + "last_run_time = :lastRunTime, runs = :runs, next_attempt_at = :nextAttemptAt, delivery_id = :deliveryId";

    static final RowMapper<Webhook> MAPPER = (rs, ctx) -> new Webhook(
            rs.getString("id"),
            rs.getLong("user_id"),
            rs.getString("access_id"),
            rs.getString("url"),
            rs.getString("type"),
            (ObjectNode) Json.read(rs.getString("settings")),
            (ObjectNode) Json.read(rs.getString("scopes")),
            rs.getLong("min_interval_ms"),
            rs.getInt("max_retries"),
            rs.getInt("current_retries"),
            Webhook.State.fromWire(rs.getString("state")),
            rs.getLong("run_count"),
            rs.getLong("fail_count"),
            rs.getInt("last_run_status"),
            rs.getLong("last_run_time"),
            (ArrayNode) Json.read(rs.getString("runs")),
            rs.getLong("next_attempt_at"),
            rs.getString("delivery_id"),
            Tracking.of(rs));

    /** A pending message with the stamp of its last occurrence. */
    public record Pending(String message, long lastSeen) {
    }

    /** A webhook that has pending messages, and when it may next be delivered. */
    public record Due(String webhookId, long nextAttemptAt) {
    }

    private WebhookStore() {
    }

    public static Optional<Webhook> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?").bind(0, id).map(MAPPER).findOne();
    }

    /** The webhooks of these ids that still exist. */
    public static List<Webhook> findAll(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).map(MAPPER).list();
    }

    public static Optional<Webhook> find(Handle h, long userId, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ? AND user_id = ?")
                .bind(0, id).bind(1, userId).map(MAPPER).findOne();
    }

    public static List<Webhook> ofUser(Handle h, long userId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE user_id = ? ORDER BY created, id")
                .bind(0, userId).map(MAPPER).list();
    }

    public static List<Webhook> ofAccess(Handle h, long userId, String accessId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE user_id = ? AND access_id = ? ORDER BY created, id")
                .bind(0, userId).bind(1, accessId).map(MAPPER).list();
    }

    public static boolean urlTaken(Handle h, String accessId, String url) {
        return h.createQuery("SELECT 1 FROM webhooks WHERE access_id = ? AND url = ?")
                .bind(0, accessId).bind(1, url).mapTo(Integer.class).findOne().isPresent();
    }

    public static void insert(Handle h, Webhook w) {
        w.tracking().bind(h.createUpdate("INSERT INTO webhooks (" + COLUMNS + ") VALUES (:id, :userId, :accessId, "
                        + ":url, :type, :settings, :scopes, :minIntervalMs, :maxRetries, :currentRetries, :state, "
                        + ":runCount, :failCount, :lastRunStatus, :lastRunTime, :runs, :nextAttemptAt, :deliveryId, "
                        + Tracking.PARAMS + ")"))
                .bind("id", w.id()).bind("userId", w.userId()).bind("accessId", w.accessId()).bind("url", w.url())
                .bind("type", w.type()).bind("settings", Json.write(w.settings()))
                .bind("scopes", Json.write(w.scopes()))
                .bind("minIntervalMs", w.minIntervalMs()).bind("maxRetries", w.maxRetries())
                .bind("currentRetries", w.currentRetries()).bind("state", w.state().wire())
                .bind("runCount", w.runCount()).bind("failCount", w.failCount())
                .bind("lastRunStatus", w.lastRunStatus()).bind("lastRunTime", w.lastRunTime())
                .bind("runs", Json.write(w.runs())).bind("nextAttemptAt", w.nextAttemptAt())
                .bind("deliveryId", w.deliveryId())
                .execute();
    }

    /** Saves what a client may change: state, settings, and the retry state a reactivation resets. */
    public static void updateByClient(Handle h, Webhook w) {
        w.tracking().bindModified(h.createUpdate("UPDATE webhooks SET state = :state, settings = :settings, "
                        + "scopes = :scopes, current_retries = :currentRetries, next_attempt_at = :nextAttemptAt, "
                        + Tracking.SET_MODIFIED + " WHERE id = :id"))
                .bind("id", w.id()).bind("state", w.state().wire()).bind("settings", Json.write(w.settings()))
                .bind("scopes", Json.write(w.scopes()))
                .bind("currentRetries", w.currentRetries()).bind("nextAttemptAt", w.nextAttemptAt())
                .execute();
    }

    /**
     * Saves the results of delivery attempts, each only if the webhook was not changed by a client meanwhile (its
     * {@code modified} is still the one read before the attempt). Returns, per webhook, whether it was saved.
     */
    public static boolean[] updateAfterRunsIfUnchanged(Handle h, List<Webhook> after) {
        boolean[] saved = new boolean[after.size()];
        if (after.isEmpty()) return saved;
        PreparedBatch batch = h.prepareBatch(
                "UPDATE webhooks SET " + RUN_COLUMNS + " WHERE id = :id AND modified = :modified");
        for (Webhook w : after) {
            bindRun(batch, w).bind("modified", w.tracking().modified()).add();
        }
        int[] counts = batch.execute();
        for (int i = 0; i < counts.length; i++) saved[i] = counts[i] > 0;
        return saved;
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindRun(S statement, Webhook w) {
        return statement.bind("id", w.id()).bind("state", w.state().wire())
                .bind("currentRetries", w.currentRetries())
                .bind("runCount", w.runCount()).bind("failCount", w.failCount())
                .bind("lastRunStatus", w.lastRunStatus()).bind("lastRunTime", w.lastRunTime())
                .bind("runs", Json.write(w.runs())).bind("nextAttemptAt", w.nextAttemptAt())
                .bind("deliveryId", w.deliveryId());
    }

    /** Saves the result of a delivery attempt. */
    public static void updateAfterRun(Handle h, Webhook w) {
        bindRun(h.createUpdate("UPDATE webhooks SET " + RUN_COLUMNS + " WHERE id = :id"), w).execute();
    }

    public static void delete(Handle h, String id) {
        h.execute("DELETE FROM webhooks WHERE id = ?", id);
    }

    /** Deletes the webhooks created by these accesses; returns their ids. */
    public static List<String> deleteOfAccesses(Handle h, long userId, Collection<String> accessIds) {
        if (accessIds.isEmpty()) return List.of();
        List<String> ids = h.createQuery("SELECT id FROM webhooks WHERE user_id = :user AND access_id IN (<accesses>)")
                .bind("user", userId).bindList("accesses", List.copyOf(accessIds)).mapTo(String.class).list();
        for (String id : ids) delete(h, id);
        return ids;
    }

    /**
     * Records that {@code message} happened for the user: one row in {@code user_changes}, and a pending row for each
     * active webhook that did not have it pending yet. Returns those newly pending webhooks: the others are already
     * scheduled, in flight (their delivery will find the message happened again), or waiting for their host.
     */
    public static List<Due> addPending(Handle h, long userId, String message, long now) {
        h.createUpdate("INSERT INTO user_changes (user_id, message, last_seen) VALUES (:user, :message, :now) "
                        + "ON CONFLICT (user_id, message) DO UPDATE SET last_seen = excluded.last_seen")
                .bind("user", userId).bind("message", message).bind("now", now).execute();
        List<String> added = h.createQuery("INSERT OR IGNORE INTO webhook_pending (webhook_id, message, first_seen, "
                        + "last_seen) SELECT id, :message, :now, :now FROM webhooks WHERE user_id = :user "
                        + "AND state = 'active' AND scopes IS NULL RETURNING webhook_id")
                .bind("message", message).bind("now", now).bind("user", userId).mapTo(String.class).list();
        if (added.isEmpty()) return List.of();
        return h.createQuery("SELECT id, next_attempt_at FROM webhooks WHERE id IN (<ids>)")
                .bindList("ids", added).map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).list();
    }

    /** An active scoped webhook: its id and its scopes as stored. */
    public record Scoped(String id, ObjectNode scopes) {
    }

    /** The user's active scoped webhooks (one probe of a partial index: nothing for users without them). */
    public static List<Scoped> activeScoped(Handle h, long userId) {
        return h.createQuery("SELECT id, scopes FROM webhooks WHERE user_id = ? AND scopes IS NOT NULL "
                        + "AND state = 'active'")
                .bind(0, userId)
                .map((rs, ctx) -> new Scoped(rs.getString(1), (ObjectNode) Json.read(rs.getString(2))))
                .list();
    }

    /**
     * Records matched scope keys as pending messages of one scoped webhook; a key already pending gets its
     * {@code last_seen} moved, so that a delivery in flight leaves it pending. Returns the webhook when one of the
     * keys was not pending yet (else it is already scheduled or in flight).
     */
    public static Optional<Due> addScopedPending(Handle h, String webhookId, List<String> keys, long now) {
        boolean added = false;
        for (String key : keys) {
            int inserted = h.createUpdate("INSERT OR IGNORE INTO webhook_pending (webhook_id, message, first_seen, "
                            + "last_seen) VALUES (:webhook, :message, :now, :now)")
                    .bind("webhook", webhookId).bind("message", key).bind("now", now).execute();
            if (inserted == 0) {
                h.createUpdate("UPDATE webhook_pending SET last_seen = :now WHERE webhook_id = :webhook "
                                + "AND message = :message")
                        .bind("webhook", webhookId).bind("message", key).bind("now", now).execute();
            }
            added |= inserted > 0;
        }
        if (!added) return Optional.empty();
        return h.createQuery("SELECT id, next_attempt_at FROM webhooks WHERE id = ?").bind(0, webhookId)
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).findOne();
    }

    /** Records {@code message} for every active webhook (the boot message); returns them. */
    public static List<Due> addPendingToAllActive(Handle h, String message, long now) {
        h.createUpdate("INSERT INTO webhook_pending (webhook_id, message, first_seen, last_seen) "
                        + "SELECT id, :message, :now, :now FROM webhooks WHERE state = 'active' "
                        + "ON CONFLICT (webhook_id, message) DO UPDATE SET last_seen = excluded.last_seen")
                .bind("message", message).bind("now", now).execute();
        return h.createQuery("SELECT id, next_attempt_at FROM webhooks WHERE state = 'active'")
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).list();
    }

    /**
     * Pending messages of these webhooks, by webhook, first seen first; each with the time it last happened (its own
     * row's, or the user's latest change of that kind).
     */
    public static Map<String, List<Pending>> pendingOf(Handle h, Collection<String> webhookIds) {
        Map<String, List<Pending>> out = new HashMap<>();
        if (webhookIds.isEmpty()) return out;
        h.createQuery("SELECT p.webhook_id, p.message, MAX(p.last_seen, COALESCE(c.last_seen, 0)) "
                        + "FROM webhook_pending p JOIN webhooks w ON w.id = p.webhook_id "
                        + "LEFT JOIN user_changes c ON c.user_id = w.user_id AND c.message = p.message "
                        + "WHERE p.webhook_id IN (<ids>) ORDER BY p.first_seen, p.rowid")
                .bindList("ids", List.copyOf(webhookIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Pending(rs.getString(2), rs.getLong(3))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /**
     * Removes delivered messages (by webhook), unless they happened again after they were read. Returns the webhooks
     * that still have one of them pending for that reason: they are due again.
     */
    public static Set<String> removeDelivered(Handle h, Map<String, List<Pending>> delivered) {
        if (delivered.isEmpty()) return Set.of();
        PreparedBatch batch = h.prepareBatch("DELETE FROM webhook_pending WHERE webhook_id = :webhook "
                + "AND message = :message AND MAX(last_seen, COALESCE((SELECT c.last_seen FROM user_changes c "
                + "WHERE c.user_id = (SELECT user_id FROM webhooks WHERE id = :webhook) AND c.message = :message), 0)) "
                + "<= :seen");
        List<String> order = new ArrayList<>();
        delivered.forEach((webhookId, messages) -> {
            for (Pending p : messages) {
                batch.bind("webhook", webhookId).bind("message", p.message()).bind("seen", p.lastSeen()).add();
                order.add(webhookId);
            }
        });
        int[] removed = batch.execute();
        Set<String> again = new HashSet<>();
        for (int i = 0; i < removed.length; i++) {
            if (removed[i] == 0) again.add(order.get(i));
        }
        return again;
    }

    /** Every active webhook with pending messages: the schedule to rebuild at start-up. */
    public static List<Due> allDue(Handle h) {
        return h.createQuery("SELECT w.id, w.next_attempt_at FROM webhooks w WHERE w.state = 'active' AND w.id IN "
                        + "(SELECT DISTINCT webhook_id FROM webhook_pending)")
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getLong(2))).list();
    }

    /** First-seen time of the oldest pending message of an active webhook, or null. */
    public static Long oldestPending(Handle h) {
        return h.createQuery("SELECT MIN(p.first_seen) FROM webhook_pending p JOIN webhooks w ON w.id = p.webhook_id "
                        + "WHERE w.state = 'active'")
                .mapTo(Long.class).findOne().orElse(null);
    }

    public static long countInactive(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM webhooks WHERE state = 'inactive'").mapTo(Long.class).one();
    }
}
