package io.hookline.data;

import io.hookline.storage.Json;
import io.hookline.storage.ReadBudget;
import io.hookline.storage.Tracking;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code streams} and {@code stream_deletions}. */
public final class StreamStore {
    private static final String COLUMNS =
            "id, name, parent_id, client_data, trashed, " + Tracking.COLUMNS;

    private static final RowMapper<Stream> MAPPER = (rs, ctx) -> new Stream(
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("parent_id"),
            Json.read(rs.getString("client_data")),
            rs.getInt("trashed") != 0,
            Tracking.of(rs));

    private StreamStore() {
    }

    /** Every stream of the user, each charged to {@code budget} before it is read. */
    public static List<Stream> all(Handle h, long userId, ReadBudget budget) {
        return h.createQuery("SELECT " + COLUMNS + ", " + ReadBudget.sizeOf("id", "name", "parent_id", "client_data",
                        "created_by", "modified_by") + " FROM streams WHERE user_id = ? ORDER BY created, id")
                .bind(0, userId).map(budget.charging(MAPPER)).list();
    }

    public static Optional<Stream> find(Handle h, long userId, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM streams WHERE user_id = ? AND id = ?")
                .bind(0, userId).bind(1, id).map(MAPPER).findOne();
    }

    public static boolean siblingNameTaken(Handle h, long userId, String parentId, String name, String exceptId) {
        return h.createQuery("SELECT 1 FROM streams WHERE user_id = ? AND COALESCE(parent_id, '') = ? AND name = ? "
                        + "AND id <> ?")
                .bind(0, userId).bind(1, parentId == null ? "" : parentId).bind(2, name)
                .bind(3, exceptId == null ? "" : exceptId)
                .mapTo(Integer.class).findOne().isPresent();
    }

    public static void insert(Handle h, long userId, Stream s) {
        Update insert = h.createUpdate("INSERT INTO streams (user_id, " + COLUMNS + ") VALUES (:user, :id, :name, "
                + ":parent, :clientData, :trashed, " + Tracking.PARAMS + ")");
        s.tracking().bind(bindValues(insert, userId, s)).execute();
    }

    public static void update(Handle h, long userId, Stream s) {
        Update update = h.createUpdate("UPDATE streams SET name = :name, parent_id = :parent, "
                + "client_data = :clientData, trashed = :trashed, " + Tracking.SET_MODIFIED
                + " WHERE user_id = :user AND id = :id");
        s.tracking().bindModified(bindValues(update, userId, s)).execute();
    }

    private static Update bindValues(Update statement, long userId, Stream s) {
        return statement.bind("user", userId)
                .bind("id", s.id()).bind("name", s.name()).bind("parent", s.parentId())
                .bind("clientData", Json.write(s.clientData())).bind("trashed", s.trashed() ? 1 : 0);
    }

    public static void delete(Handle h, long userId, Collection<String> ids, long now) {
        for (String id : ids) {
            h.execute("DELETE FROM streams WHERE user_id = ? AND id = ?", userId, id);
            h.execute("INSERT INTO stream_deletions (user_id, id, deleted) VALUES (?, ?, ?)", userId, id, now);
        }
    }

    public static Map<String, Long> deletionsSince(Handle h, long userId, long since) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        h.createQuery("SELECT id, deleted FROM stream_deletions WHERE user_id = ? AND deleted > ? ORDER BY deleted")
                .bind(0, userId).bind(1, since)
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
    }
}
