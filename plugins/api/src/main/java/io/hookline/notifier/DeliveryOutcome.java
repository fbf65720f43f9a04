package io.hookline.notifier;

import java.time.Duration;
import java.util.Objects;

/**
 * How one delivery went. The core records a run with {@link #status()} and {@link #reason()}, then:
 * {@link Delivered} clears what was pending; {@link Retry} keeps it and retries with backoff (or after
 * {@link Retry#retryAfter()} when that is longer); {@link Permanent} deactivates the webhook at once.
 *
 * <p>An outcome may also carry the beginning of what the target answered ({@link #answer()}), which the core shows
 * to the webhook's owner in the attempt's details. It is a detail for people, not part of how the delivery went:
 * two outcomes that differ only by their answer are equal. {@link HttpOutcomes} attaches it; a notifier that builds
 * its outcomes itself adds it with {@link #withAnswer}, or leaves it out.
 */
public sealed interface DeliveryOutcome {

    /** The HTTP status the target answered, or 0 when there was no answer. */
    int status();

    /** Why it failed, for the webhook's runs and the log; null on success. */
    String reason();

    /**
     * The target's answer (its body, as text), or null when there was none or the notifier keeps none. The core keeps
     * the first 1 KiB of it; a notifier need not cut it.
     */
    String answer();

    /** This outcome with {@code answer} as the target's answer. */
    default DeliveryOutcome withAnswer(String answer) {
        if (this instanceof Delivered d) return new Delivered(d.status(), answer);
        if (this instanceof Retry r) return new Retry(r.status(), r.reason(), r.retryAfter(), answer);
        Permanent p = (Permanent) this;
        return new Permanent(p.status(), p.reason(), answer);
    }

    /** The target took the notification: what was pending is cleared and {@code currentRetries} goes back to 0. */
    record Delivered(int status, String answer) implements DeliveryOutcome {
        /** Without the target's answer. */
        public Delivered(int status) {
            this(status, null);
        }

        @Override
        public String reason() {
            return null;
        }

        /** Equal when the status is: the answer is left out (see {@link DeliveryOutcome}). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Delivered d && d.status == status;
        }

        @Override
        public int hashCode() {
            return Integer.hashCode(status);
        }
    }

    /**
     * A failure worth retrying (rate limiting, server error, no answer): the messages stay pending and the server
     * retries with backoff, deactivating the webhook once {@code maxRetries} is exceeded.
     *
     * @param retryAfter the delay the target asked for, or null
     */
    record Retry(int status, String reason, Duration retryAfter, String answer) implements DeliveryOutcome {
        /** Without the target's answer. */
        public Retry(int status, String reason, Duration retryAfter) {
            this(status, reason, retryAfter, null);
        }

        /** Equal when status, reason and delay are: the answer is left out (see {@link DeliveryOutcome}). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Retry r && r.status == status && Objects.equals(r.reason, reason)
                    && Objects.equals(r.retryAfter, retryAfter);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, reason, retryAfter);
        }
    }

    /**
     * A failure that retrying cannot fix (the target is gone, the credentials were revoked...): the webhook is
     * deactivated at once, with {@code reason} recorded in its last run.
     */
    record Permanent(int status, String reason, String answer) implements DeliveryOutcome {
        /** Without the target's answer. */
        public Permanent(int status, String reason) {
            this(status, reason, null);
        }

        /** Equal when status and reason are: the answer is left out (see {@link DeliveryOutcome}). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Permanent p && p.status == status && Objects.equals(p.reason, reason);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, reason);
        }
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
