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

    public static long insert(Handle h, String username, String passwordHash, long now) {
        return h.createUpdate("INSERT INTO users (username, password_hash, created) VALUES (?, ?, ?)")
                .bind(0, username).bind(1, passwordHash).bind(2, now)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class).one();
    }
}
