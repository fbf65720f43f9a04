package io.hookline.edge;

import java.util.Map;

/**
 * {@code too-many-requests}: a limit on what unauthenticated clients may ask was reached. The answer says when to try
 * again, as {@code Retry-After} and as {@code data.retryAfter} (seconds).
 */
public final class TooManyRequests extends ApiException {
    private final long retryAfterSeconds;

    public TooManyRequests(String message, long retryAfterSeconds) {
        super(ErrorId.TOO_MANY_REQUESTS, message, Map.of("retryAfter", retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
