package io.hookline.webhooks;

import io.hookline.edge.Params;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which webhooks an operator means, across users: every criterion given must hold. {@code failing}: the last run
 * failed (runs held back on Hookline's side included); {@code false}: it did not, or nothing ran yet.
 * {@code lateBefore}: lagging, that is active with something pending, due (throttle and backoff passed) and pending
 * since before that time (microseconds), as the delivery lag counts.
 */
public record WebhookSearch(Optional<Webhook.State> state, Optional<String> type, Optional<Boolean> failing,
                            Optional<String> username, Optional<Long> lateBefore) {
    /** Every webhook. */
    public static WebhookSearch all() {
        return new WebhookSearch(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** Reads {@code state}, {@code type} and {@code failing}, as {@link #of} does. */
    public static WebhookSearch byStateTypeFailing(Params p) {
        Optional<Webhook.State> state = state(p);
        return new WebhookSearch(state, p.string("type"), p.bool("failing"), Optional.empty(), Optional.empty());
    }

    /** The same search, for webhooks lagging since before {@code lateBefore} only. */
    public WebhookSearch lagging(long lateBefore) {
        return new WebhookSearch(state, type, failing, username, Optional.of(lateBefore));
    }

    /** Reads {@code state}, {@code type}, {@code failing} and {@code username}; a wrong value is a 400. */
    public static WebhookSearch of(Params p) {
        Optional<Webhook.State> state = state(p);
        return new WebhookSearch(state, p.string("type"), p.bool("failing"), p.string("username"), Optional.empty());
    }

    private static Optional<Webhook.State> state(Params p) {
        return p.string("state").map(s -> {
            Webhook.State st = Webhook.State.fromWire(s);
            if (st == null) p.problem("state", "must be \"active\" or \"inactive\"");
            return st;
        });
    }

    /** The same search, for inactive webhooks only. */
    public WebhookSearch inactive() {
        return new WebhookSearch(Optional.of(Webhook.State.INACTIVE), type, failing, username, lateBefore);
    }

    /** The SQL condition on {@code webhooks}, with named parameters bound by {@link #bind}. */
    String where() {
        List<String> c = new ArrayList<>();
        c.add("1 = 1");
        state.ifPresent(s -> c.add("state = :state"));
        type.ifPresent(t -> c.add("type = :type"));
        // The last run's status is a delivery column of the same row, kept by the delivery store.
        failing.ifPresent(f -> c.add((f ? "" : "NOT ")
                + "(run_count > 0 AND (last_run_status < 200 OR last_run_status >= 300))"));
        username.ifPresent(u -> c.add("user_id IN (SELECT u.id FROM users u WHERE u.username = :username)"));
        // Late as the lag counts it: due (throttle and backoff passed) and pending since before the limit.
        lateBefore.ifPresent(t -> c.add("state = 'active' AND next_attempt_at < :lateBefore AND id IN (SELECT "
                + "webhook_id FROM webhook_pending GROUP BY webhook_id HAVING MIN(first_seen) < :lateBefore)"));
        return String.join(" AND ", c);
    }

    <S extends SqlStatement<S>> S bind(S statement) {
        state.ifPresent(s -> statement.bind("state", s.wire()));
        type.ifPresent(t -> statement.bind("type", t));
        username.ifPresent(u -> statement.bind("username", u));
        lateBefore.ifPresent(t -> statement.bind("lateBefore", t));
        return statement;
    }
}
