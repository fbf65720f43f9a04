package io.hookline.auth;

import java.util.Set;

/**
 * First path segments the server owns, now or for the Pryv paths it may serve later: an account named after one
 * could be created but never reached, since {@code /system/...} is the system API, not the account's own.
 */
public final class ReservedNames {
    public static final Set<String> PATHS = Set.of("system", "reg", "register", "service", "services", "console",
            "access", "accesses", "admin", "api", "assets", "auth", "docs", "health", "healthcheck", "login", "metrics",
            "static", "status", "tasks", "www");

    private ReservedNames() {
    }

    public static boolean isReserved(String username) {
        return PATHS.contains(username);
    }
}
