package io.hookline.signin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.Json;
import org.jdbi.v3.core.Handle;

import java.util.Optional;

/** The {@code access_requests} table. */
final class AccessRequestStore {
    private AccessRequestStore() {
    }

    static void insert(Handle h, AccessRequest r) {
        h.createUpdate("INSERT INTO access_requests (request_key, asked, expires_at) VALUES (?, ?, ?)")
                .bind(0, r.key()).bind(1, Json.write(r.asked())).bind(2, r.expiresAt()).execute();
    }

    /** The request of that key, unless it expired at {@code now}. */
    static Optional<AccessRequest> find(Handle h, String key, long now) {
        return h.createQuery("SELECT request_key, asked, expires_at, outcome FROM access_requests"
                        + " WHERE request_key = ? AND expires_at > ?")
                .bind(0, key).bind(1, now)
                .map((rs, ctx) -> new AccessRequest(rs.getString(1), (ObjectNode) Json.read(rs.getString(2)),
                        rs.getLong(3), (ObjectNode) Json.read(rs.getString(4))))
                .findOne();
    }

    /** Records the answer if none was given yet and the request is still open; false otherwise. */
    static boolean answer(Handle h, String key, ObjectNode outcome, long now) {
        return h.createUpdate("UPDATE access_requests SET outcome = ?"
                        + " WHERE request_key = ? AND outcome IS NULL AND expires_at > ?")
                .bind(0, Json.write(outcome)).bind(1, key).bind(2, now).execute() == 1;
    }

    /** How many requests are open (not expired), and when the first of them expires (null when none is open). */
    record Open(long count, Long firstExpiry) {
    }

    static Open open(Handle h, long now) {
        return h.createQuery("SELECT COUNT(*), MIN(expires_at) FROM access_requests WHERE expires_at > ?")
                .bind(0, now).map((rs, ctx) -> {
                    long count = rs.getLong(1);
                    long first = rs.getLong(2);
                    return new Open(count, rs.wasNull() ? null : first);
                }).one();
    }

    static void deleteExpired(Handle h, long now) {
        h.createUpdate("DELETE FROM access_requests WHERE expires_at <= ?").bind(0, now).execute();
    }
}
