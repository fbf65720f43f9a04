package io.hookline.webhooks;

import io.hookline.edge.Params;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which webhooks an operator means, across users: every criterion given must hold. {@code failing}: the last run
 * failed (runs held back on Hookline's side included); {@code false}: it did not, or nothing ran yet.
 */
public record WebhookSearch(Optional<Webhook.State> state, Optional<String> type, Optional<Boolean> failing,
                            Optional<String> username) {
    /** Every webhook. */
    public static WebhookSearch all() {
        return new WebhookSearch(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads {@code state}, {@code type}, {@code failing} and {@code username}; a wrong value is a 400. */
    public static WebhookSearch of(Params p) {
        Optional<Webhook.State> state = p.string("state").map(s -> {
            Webhook.State st = Webhook.State.fromWire(s);
            if (st == null) p.problem("state", "must be \"active\" or \"inactive\"");
            return st;
        });
        return new WebhookSearch(state, p.string("type"), p.bool("failing"), p.string("username"));
    }

    /** The same search, for inactive webhooks only. */
    public WebhookSearch inactive() {
        return new WebhookSearch(Optional.of(Webhook.State.INACTIVE), type, failing, username);
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
        return String.join(" AND ", c);
    }

    <S extends SqlStatement<S>> S bind(S statement) {
        state.ifPresent(s -> statement.bind("state", s.wire()));
        type.ifPresent(t -> statement.bind("type", t));
        username.ifPresent(u -> statement.bind("username", u));
        return statement;
    }
}
