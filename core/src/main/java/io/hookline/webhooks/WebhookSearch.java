package io.hookline.webhooks;

import io.hookline.edge.Params;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which webhooks an operator means, across users: every criterion given must hold. {@code failing}: the last run
 * failed (including runs held back on the server's side).
 */
public record WebhookSearch(Optional<Webhook.State> state, Optional<String> type, Optional<Boolean> failing,
                            Optional<String> username) {
    /** Reads {@code state}, {@code type}, {@code failing} and {@code username}; a wrong value is a 400. */
    public static WebhookSearch of(Params p) {
        Optional<Webhook.State> state = p.string("state").map(s -> {
            Webhook.State st = Webhook.State.fromWire(s);
            if (st == null) p.problem("state", "must be \"active\" or \"inactive\"");
            return st;
        });
        return new WebhookSearch(state, p.string("type"), p.bool("failing"), p.string("username"));
    }

    /** The SQL condition on {@code webhooks w} and {@code users u}, with named parameters bound by {@link #bind}. */
    String where() {
        List<String> c = new ArrayList<>();
        c.add("1 = 1");
        state.ifPresent(s -> c.add("w.state = :state"));
        type.ifPresent(t -> c.add("w.type = :type"));
        failing.ifPresent(f -> c.add((f ? "" : "NOT ")
                + "(w.run_count > 0 AND (w.last_run_status < 200 OR w.last_run_status >= 300))"));
        username.ifPresent(u -> c.add("u.username = :username"));
        return String.join(" AND ", c);
    }

    <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement) {
        state.ifPresent(s -> statement.bind("state", s.wire()));
        type.ifPresent(t -> statement.bind("type", t));
        username.ifPresent(u -> statement.bind("username", u));
        return statement;
    }
}
