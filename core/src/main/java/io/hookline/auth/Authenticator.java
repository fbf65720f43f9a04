package io.hookline.auth;

import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.storage.Database;

/** Turns a username and a token into a {@link Caller}, or the error API.md names. */
public final class Authenticator {
    private final Database db;

    public Authenticator(Database db) {
        this.db = db;
    }

    public Caller authenticate(String username, String token, String baseUrl) {
        return db.read(h -> {
            User user = UserStore.find(h, username).orElseThrow(() -> unknownUser(username));
            if (token == null || token.isEmpty()) {
                throw new ApiException(ErrorId.MISSING_ACCESS_TOKEN, "Missing access token");
            }
            Access access = AccessStore.byToken(h, user.id(), token)
                    .filter(a -> !a.isExpired(db.clock().nowMicros()))
                    .orElseThrow(() -> new ApiException(ErrorId.INVALID_ACCESS_TOKEN,
                            "Cannot find access from token, or it has expired"));
            return new Caller(user, access, baseUrl);
        });
    }

    public static ApiException unknownUser(String username) {
        return new ApiException(ErrorId.UNKNOWN_RESOURCE, "Unknown user \"" + username + "\"");
    }
}
