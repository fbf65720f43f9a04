package io.hookline.notifier;

import java.time.Duration;

/**
 * How one delivery went. The core records a run with {@link #status()} and {@link #reason()}, then:
 * {@link Delivered} clears what was pending; {@link Retry} keeps it and retries with backoff (or after
 * {@link Retry#retryAfter()} when that is longer); {@link Permanent} deactivates the webhook at once.
 */
public sealed interface DeliveryOutcome {

    /** The HTTP status the target answered, or 0 when there was no answer. */
    int status();

    /** Why it failed, for the webhook's runs and the log; null on success. */
    String reason();

    /** The target took the notification: what was pending is cleared and {@code currentRetries} goes back to 0. */
    record Delivered(int status) implements DeliveryOutcome {
        @Override
        public String reason() {
            return null;
        }
    }

    /**
     * A failure worth retrying (rate limiting, server error, no answer): the messages stay pending and the server
     * retries with backoff, deactivating the webhook once {@code maxRetries} is exceeded.
     *
     * @param retryAfter the delay the target asked for, or null
     */
    record Retry(int status, String reason, Duration retryAfter) implements DeliveryOutcome {
    }

    /**
     * A failure that retrying cannot fix (the target is gone, the credentials were revoked...): the webhook is
     * deactivated at once, with {@code reason} recorded in its last run.
     */
    record Permanent(int status, String reason) implements DeliveryOutcome {
    }

    static DeliveryOutcome delivered(int status) {
        return new Delivered(status);
    }

    static DeliveryOutcome retry(int status, String reason) {
        return new Retry(status, reason, null);
    }

    static DeliveryOutcome retryAfter(int status, String reason, Duration after) {
        return new Retry(status, reason, after);
    }

    static DeliveryOutcome permanent(int status, String reason) {
        return new Permanent(status, reason);
    }
}
