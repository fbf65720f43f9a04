package io.hookline.auth;

import java.net.URI;

/** Builds the {@code apiEndpoint} URLs Pryv clients are given: the token as URL user info, then the account path. */
public final class ApiEndpoint {
    private ApiEndpoint() {
    }

    /** @param baseUrl the server origin, e.g. {@code http://127.0.0.1:8080/} */
    public static String of(String baseUrl, String token, String username) {
        URI base = URI.create(baseUrl);
        String port = base.getPort() == -1 ? "" : ":" + base.getPort();
        return base.getScheme() + "://" + token + "@" + base.getHost() + port + "/" + username + "/";
    }
}
