package io.hookline.auth;

import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.storage.Database;

import java.util.Optional;

/** Turns a username and a token into a {@link Caller}, or the error docs/API.md names. */
public final class Authenticator {
    private final Database db;
    private final AccessCache cache;

    public Authenticator(Database db, AccessCache cache) {
        this.db = db;
        this.cache = cache;
    }

    public Caller authenticate(String username, String token, String baseUrl) {
        if (token == null || token.isEmpty()) {
            // An unknown user is reported first, whatever the token.
            db.read(h -> UserStore.find(h, username)).orElseThrow(() -> unknownUser(username));
            throw new ApiException(ErrorId.MISSING_ACCESS_TOKEN, "Missing access token");
        }
        AccessCache.Cached found = cache.get(username, token, () -> load(username, token))
                .filter(c -> !c.access().isExpired(db.clock().nowMicros()))
                .orElseThrow(() -> new ApiException(ErrorId.INVALID_ACCESS_TOKEN,
                        "Cannot find access from token, or it has expired"));
        return new Caller(found.user(), found.access(), baseUrl);
    }

    /** The user and the access of the token; throws when the user is unknown, empty when the token is. */
    private Optional<AccessCache.Cached> load(String username, String token) {
        return db.read(h -> {
            User user = UserStore.find(h, username).orElseThrow(() -> unknownUser(username));
            return AccessStore.byToken(h, user.id(), token).map(a -> new AccessCache.Cached(user, a));
        });
    }

    public static ApiException unknownUser(String username) {
        return new ApiException(ErrorId.UNKNOWN_RESOURCE, "Unknown user \"" + username + "\"");
    }
}
