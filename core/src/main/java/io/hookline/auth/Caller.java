package io.hookline.auth;

/**
 * Who is calling: the account whose path was used, the access whose token came with the request, and the
 * base URL the request reached (to build {@code apiEndpoint}s).
 */
public record Caller(User user, Access access, String baseUrl) {
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
