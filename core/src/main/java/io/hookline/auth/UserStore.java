package io.hookline.auth;

import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code users}. */
public final class UserStore {
    private UserStore() {
    }

    public static Optional<User> find(Handle h, String username) {
        return h.createQuery("SELECT id, username FROM users WHERE username = ?")
                .bind(0, username)
                .map((rs, ctx) -> new User(rs.getLong("id"), rs.getString("username")))
                .findOne();
    }

    /** Usernames by user id. */
    public static Map<Long, String> usernames(Handle h, Collection<Long> userIds) {
        Map<Long, String> out = new HashMap<>();
        if (userIds.isEmpty()) return out;
        h.createQuery("SELECT id, username FROM users WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(userIds))
                .map((rs, ctx) -> new User(rs.getLong(1), rs.getString(2)))
                .forEach(u -> out.put(u.id(), u.username()));
        return out;
    }

    public static Optional<String> passwordHash(Handle h, long userId) {
        return h.createQuery("SELECT password_hash FROM users WHERE id = ?")
                .bind(0, userId)
                .mapTo(String.class)
                .findOne();
    }

    public static Account account(Handle h, long userId) {
        return h.createQuery("SELECT username, email, language FROM users WHERE id = ?")
                .bind(0, userId)
                .map((rs, ctx) -> new Account(rs.getString(1), rs.getString(2), rs.getString(3)))
                .one();
    }

    public static void updateAccount(Handle h, long userId, String email, String language) {
        h.execute("UPDATE users SET email = ?, language = ? WHERE id = ?", email, language, userId);
    }

    public static void setPasswordHash(Handle h, long userId, String passwordHash) {
        h.execute("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId);
    }

    /** Stored items of a user (streams and live events), for {@code storageUsed.dbDocuments}. */
    public static long documents(Handle h, long userId) {
        return h.createQuery("SELECT (SELECT COUNT(*) FROM streams WHERE user_id = :user) "
                        + "+ (SELECT COUNT(*) FROM events WHERE user_id = :user AND deleted IS NULL)")
                .bind("user", userId).mapTo(Long.class).one();
    }

    /** Bytes of the files attached to the user's events, for {@code storageUsed.attachedFiles}. */
    public static long attachedBytes(Handle h, long userId) {
        long total = 0;
        for (String list : h.createQuery("SELECT attachments FROM events WHERE user_id = ? "
                + "AND attachments IS NOT NULL AND deleted IS NULL").bind(0, userId).mapTo(String.class).list()) {
            for (com.fasterxml.jackson.databind.JsonNode a : io.hookline.storage.Json.read(list)) {
                total += a.path("size").asLong();
            }
        }
        return total;
    }

    public static long insert(Handle h, String username, String passwordHash, String email, long now) {
        return h.createUpdate("INSERT INTO users (username, password_hash, email, created) VALUES (?, ?, ?, ?)")
                .bind(0, username).bind(1, passwordHash).bind(2, email).bind(3, now)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class).one();
    }
}
