package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.AccessStore;
import io.hookline.storage.Json;
import io.hookline.storage.ReadBudget;
import io.hookline.storage.Tracking;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a webhook is, in {@code webhooks}: the columns the API and its owner set. The delivery columns of the same
 * rows, and the pending messages, belong to delivery ({@link io.hookline.delivery.DeliveryStore}).
 */
public final class WebhookStore {
    private static final String COLUMNS = "id, user_id, access_id, url, type, settings, scopes, min_interval_ms, "
            + "max_retries, state, " + Tracking.COLUMNS;

    private static final String ROW_SIZE = ReadBudget.sizeOf("id", "access_id", "url", "type", "settings",
            "created_by", "modified_by");

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
            Webhook.State.fromWire(rs.getString("state")),
            Tracking.of(rs));

    private WebhookStore() {
    }

    public static Optional<Webhook> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?").bind(0, id).map(MAPPER).findOne();
    }

    public static Optional<Webhook> find(Handle h, long userId, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ? AND user_id = ?")
                .bind(0, id).bind(1, userId).map(MAPPER).findOne();
    }

    /** The user's webhooks, each charged to {@code budget} before it is read (so are those of {@link #ofAccess}). */
    public static List<Webhook> ofUser(Handle h, long userId, ReadBudget budget) {
        return h.createQuery("SELECT " + COLUMNS + ", " + ROW_SIZE + " FROM webhooks WHERE user_id = ? ORDER BY created, id")
                .bind(0, userId).map(budget.charging(MAPPER)).list();
    }

    /** These webhooks, of any user, in no particular order (unknown ids are left out). */
    public static List<Webhook> findAll(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).map(MAPPER).list();
    }

    /** A webhook with its owner's username, as operators list them. */
    public record Owned(Webhook webhook, String username) {
    }

    /** Webhooks of every user matching {@code search}, oldest first, one page. */
    public static List<Owned> search(Handle h, WebhookSearch search, int limit, long offset) {
        return search.bind(h.createQuery("SELECT " + COLUMNS + ", (SELECT u.username FROM users u "
                        + "WHERE u.id = webhooks.user_id) AS owner FROM webhooks WHERE " + search.where()
                        + " ORDER BY created, id LIMIT :limit OFFSET :offset"))
                .bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new Owned(MAPPER.map(rs, ctx), rs.getString("owner"))).list();
    }

    /** How many webhooks of every user match {@code search}. */
    public static long count(Handle h, WebhookSearch search) {
        return search.bind(h.createQuery("SELECT COUNT(*) FROM webhooks WHERE " + search.where()))
                .mapTo(Long.class).one();
    }

    public static List<Webhook> ofAccess(Handle h, long userId, String accessId, ReadBudget budget) {
        return h.createQuery("SELECT " + COLUMNS + ", " + ROW_SIZE
                        + " FROM webhooks WHERE user_id = ? AND access_id = ? ORDER BY created, id")
                .bind(0, userId).bind(1, accessId).map(budget.charging(MAPPER)).list();
    }

    public static boolean urlTaken(Handle h, String accessId, String url) {
        return h.createQuery("SELECT 1 FROM webhooks WHERE access_id = ? AND url = ?")
                .bind(0, accessId).bind(1, url).mapTo(Integer.class).findOne().isPresent();
    }

    /** A new webhook; its delivery columns start from their defaults (never delivered). */
    public static void insert(Handle h, Webhook w) {
        w.tracking().bind(h.createUpdate("INSERT INTO webhooks (" + COLUMNS + ") VALUES (:id, :userId, :accessId, "
                        + ":url, :type, :settings, :scopes, :minIntervalMs, :maxRetries, :state, " + Tracking.PARAMS
                        + ")"))
                .bind("id", w.id()).bind("userId", w.userId()).bind("accessId", w.accessId()).bind("url", w.url())
                .bind("type", w.type()).bind("settings", Json.write(w.settings()))
                .bind("scopes", Json.write(w.scopes()))
                .bind("minIntervalMs", w.minIntervalMs()).bind("maxRetries", w.maxRetries())
                .bind("state", w.state().wire())
                .execute();
    }

    /** Saves what a client may change: state, settings and scopes. */
    public static void updateByClient(WriteTx tx, Webhook w) {
        tx.locksWebhooks();
        w.tracking().bindModified(tx.handle().createUpdate("UPDATE webhooks SET state = :state, settings = :settings, "
                        + "scopes = :scopes, " + Tracking.SET_MODIFIED + " WHERE id = :id"))
                .bind("id", w.id()).bind("state", w.state().wire()).bind("settings", Json.write(w.settings()))
                .bind("scopes", Json.write(w.scopes()))
                .execute();
    }

    /** A scoped webhook: its user, its id and its scopes as stored (JSON text). */
    public record Scoped(long userId, String id, String scopes) {
    }

    /**
     * These users' scoped webhooks whose access has not expired at {@code now}, active or not, by user then id: an
     * inactive one keeps the keys it misses pending, for when it is made active again. One statement for all the
     * users of a write transaction, probing a partial index (nothing for users without them).
     */
    public static List<Scoped> scoped(Handle h, Collection<Long> userIds, long now) {
        if (userIds.isEmpty()) return List.of();
        return h.createQuery("SELECT user_id, id, scopes FROM webhooks WHERE user_id IN (<users>) "
                        + "AND scopes IS NOT NULL AND " + AccessStore.notExpiredAt("webhooks.access_id")
                        + " ORDER BY user_id, id")
                .bindList("users", List.copyOf(userIds)).bind("now", now)
                .map((rs, ctx) -> new Scoped(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    public static void delete(WriteTx tx, String id) {
        tx.locksWebhooks();
        tx.handle().execute("DELETE FROM webhooks WHERE id = ?", id);
    }

    /** Deletes the webhooks created by these accesses; returns their ids. */
    public static List<String> deleteOfAccesses(WriteTx tx, long userId, Collection<String> accessIds) {
        if (accessIds.isEmpty()) return List.of();
        List<String> ids = tx.handle().createQuery("SELECT id FROM webhooks WHERE user_id = :user AND access_id IN (<accesses>) "
                        + "ORDER BY id") // deleted in id order: see PostgresDeliveryStore.finish
                .bind("user", userId).bindList("accesses", List.copyOf(accessIds)).mapTo(String.class).list();
        for (String id : ids) delete(tx, id);
        return ids;
    }
}
