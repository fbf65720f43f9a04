package io.hookline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Json;
import io.hookline.storage.ReadBudget;
import io.hookline.storage.Rows;
import io.hookline.storage.Tracking;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Rows of {@code accesses}; permissions are kept as a JSON array. */
public final class AccessStore {
    private static final String COLUMNS = "id, user_id, token, type, name, device_name, permissions, client_data, "
            + "expires, " + Tracking.COLUMNS;

    private static final RowMapper<Access> MAPPER = (rs, ctx) -> new Access(
            rs.getString("id"),
            rs.getLong("user_id"),
            rs.getString("token"),
            AccessType.fromWire(rs.getString("type")).orElseThrow(),
            rs.getString("name"),
            rs.getString("device_name"),
            readPermissions(rs.getString("permissions")),
            Json.read(rs.getString("client_data")),
            Rows.nullableLong(rs, "expires"),
            Tracking.of(rs));

    private static final String ROW_SIZE = ReadBudget.sizeOf("id", "token", "name", "device_name", "permissions",
            "client_data", "created_by", "modified_by");

    private AccessStore() {
    }

    public static Optional<Access> byToken(Handle h, long userId, String token) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accesses WHERE token = ? AND user_id = ?")
                .bind(0, token).bind(1, userId).map(MAPPER).findOne();
    }

    public static Optional<Access> byId(Handle h, long userId, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accesses WHERE id = ? AND user_id = ?")
                .bind(0, id).bind(1, userId).map(MAPPER).findOne();
    }

    public static Optional<Access> personalForApp(Handle h, long userId, String appId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accesses WHERE user_id = ? AND type = 'personal' AND name = ?")
                .bind(0, userId).bind(1, appId).map(MAPPER).findOne();
    }

    /** Every access of the user, each charged to {@code budget} before it is read. */
    public static List<Access> all(Handle h, long userId, ReadBudget budget) {
        return h.createQuery("SELECT " + COLUMNS + ", " + ROW_SIZE + " FROM accesses WHERE user_id = ? ORDER BY created")
                .bind(0, userId).map(budget.charging(MAPPER)).list();
    }

    public static List<Access> createdBy(Handle h, long userId, String accessId) {
        return createdBy(h, userId, accessId, ReadBudget.NONE);
    }

    /** The accesses {@code accessId} created, each charged to {@code budget} before it is read. */
    public static List<Access> createdBy(Handle h, long userId, String accessId, ReadBudget budget) {
        return h.createQuery("SELECT " + COLUMNS + ", " + ROW_SIZE
                        + " FROM accesses WHERE user_id = ? AND created_by = ? ORDER BY created")
                .bind(0, userId).bind(1, accessId).map(budget.charging(MAPPER)).list();
    }

    /**
     * SQL that holds while the access whose id is in {@code accessIdColumn} has not expired at the bound {@code :now}
     * (microseconds). An expired access's webhooks are kept, but no longer collect messages.
     */
    public static String notExpiredAt(String accessIdColumn) {
        return "NOT EXISTS (SELECT 1 FROM accesses a WHERE a.id = " + accessIdColumn
                + " AND a.expires IS NOT NULL AND a.expires <= :now)";
    }

    public static boolean nameTaken(Handle h, long userId, AccessType type, String name, String deviceName) {
        return h.createQuery("SELECT 1 FROM accesses WHERE user_id = ? AND type = ? AND name = ? "
                        + "AND COALESCE(device_name, '') = ?")
                .bind(0, userId).bind(1, type.wire()).bind(2, name).bind(3, deviceName == null ? "" : deviceName)
                .mapTo(Integer.class).findOne().isPresent();
    }

    public static void insert(Handle h, Access a) {
        a.tracking().bind(h.createUpdate("INSERT INTO accesses (" + COLUMNS + ") VALUES "
                        + "(:id, :user, :token, :type, :name, :device, :permissions, :clientData, :expires, "
                        + Tracking.PARAMS + ")"))
                .bind("id", a.id()).bind("user", a.userId()).bind("token", a.token())
                .bind("type", a.type().wire()).bind("name", a.name()).bind("device", a.deviceName())
                .bind("permissions", writePermissions(a.permissions()))
                .bind("clientData", Json.write(a.clientData()))
                .bind("expires", a.expires())
                .execute();
    }

    /** Deletes an access; the unit must have said so first ({@link WriteTx#deletesAccesses}). */
    public static void delete(WriteTx tx, long userId, String id) {
        if (!tx.saidDeletesAccesses()) {
            throw new IllegalStateException("a unit that deletes accesses says so first (WriteTx.deletesAccesses)");
        }
        tx.handle().execute("DELETE FROM accesses WHERE id = ? AND user_id = ?", id, userId);
    }

    static String writePermissions(List<Permission> permissions) {
        List<Object> out = new ArrayList<>();
        for (Permission p : permissions) {
            out.add(java.util.Map.of("streamId", p.streamId(), "level", p.level().wire()));
        }
        return Json.write(out);
    }

    static List<Permission> readPermissions(String json) {
        List<Permission> out = new ArrayList<>();
        for (JsonNode n : Json.read(json)) {
            out.add(new Permission(n.get("streamId").asText(), Level.fromWire(n.get("level").asText()).orElseThrow()));
        }
        return List.copyOf(out);
    }
}
