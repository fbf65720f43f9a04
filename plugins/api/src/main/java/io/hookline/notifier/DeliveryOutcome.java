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

    record Delivered(int status) implements DeliveryOutcome {
        @Override
        public String reason() {
            return null;
        }
    }

    /** @param retryAfter the delay the target asked for, or null */
    record Retry(int status, String reason, Duration retryAfter) implements DeliveryOutcome {
    }

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
