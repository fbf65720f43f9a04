package io.hookline.auth;

import io.hookline.storage.ReadBudget;

/**
 * Who is calling: the account whose path was used, the access whose token came with the request, the
 * base URL the request reached (to build {@code apiEndpoint}s), and how much stored data its answer may still hold.
 */
public record Caller(User user, Access access, String baseUrl, ReadBudget budget) {
    public Caller(User user, Access access, String baseUrl) {
        this(user, access, baseUrl, ReadBudget.NONE);
    }

    public Caller withBudget(ReadBudget answerBudget) {
        return new Caller(user, access, baseUrl, answerBudget);
    }

    public long userId() {
        return user.id();
    }

    public boolean isPersonal() {
        return access.isPersonal();
    }

    /** The Pryv-style endpoint that carries a token: {@code http://<token>@host/<username>/}. */
    public String apiEndpoint(String token) {
        return ApiEndpoint.of(baseUrl, token, user.username());
    }
}
