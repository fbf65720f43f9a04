package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.UserStore;
import io.hookline.delivery.Deliveries;
import io.hookline.delivery.DeliveryState;
import io.hookline.edge.ApiException;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.Database;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhooks across users as operators see them (the console): found by state, type, failing and lagging, each with
 * its owner's name and its settings redacted ({@link io.hookline.notifier.Notifier#redact}); one webhook's attempts;
 * and the operator's actions on one webhook: pause, reactivate, send a test.
 */
public final class OperatorWebhooks {
    /** Who an operator's change is recorded as ({@code modifiedBy}). */
    public static final String OPERATOR = "system";
    /** Most webhooks one listing shows. */
    public static final int MAX_LISTED = 500;

    private final Database db;
    private final Notifiers notifiers;
    private final Deliveries deliveries;
    private final long lagAlarmMs;

    /** @param lagAlarmMs how long a due delivery may wait before its webhook counts as lagging (the health check's) */
    public OperatorWebhooks(Database db, Notifiers notifiers, Deliveries deliveries, long lagAlarmMs) {
        this.db = db;
        this.notifiers = notifiers;
        this.deliveries = deliveries;
        this.lagAlarmMs = lagAlarmMs;
    }

    /**
     * Which webhooks an operator means; every criterion given must hold. {@code failing}: the last attempt failed.
     * {@code lagging}: active, with something pending, due for longer than the lag alarm (as {@code lagMs} counts).
     */
    public record Filter(Optional<Webhook.State> state, Optional<String> type, boolean failing, boolean lagging) {
    }

    /** The matching webhooks, oldest first, at most {@link #MAX_LISTED}: {@code {"webhooks": [...]}}. */
    public ObjectNode list(Filter f) {
        List<String> where = new ArrayList<>(List.of("1 = 1"));
        Map<String, Object> values = new HashMap<>();
        f.state().ifPresent(s -> {
            where.add("state = :state");
            values.put("state", s.wire());
        });
        f.type().ifPresent(t -> {
            where.add("type = :type");
            values.put("type", t);
        });
        // The last run's status and the due time are delivery columns of the same row.
        if (f.failing()) where.add("run_count > 0 AND (last_run_status < 200 OR last_run_status >= 300)");
        if (f.lagging()) {
            // Late as the lag counts it: due (throttle and backoff passed) and pending since before the limit.
            where.add("state = 'active' AND next_attempt_at < :lateBefore AND id IN (SELECT webhook_id FROM "
                    + "webhook_pending GROUP BY webhook_id HAVING MIN(first_seen) < :lateBefore)");
            values.put("lateBefore", db.clock().nowMicros() - lagAlarmMs * 1000);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode arr = out.putArray("webhooks");
        db.read(h -> {
            List<Webhook> found = WebhookStore.matching(h, String.join(" AND ", where), values, MAX_LISTED);
            Map<String, DeliveryState> states = deliveries.states(h, found.stream().map(Webhook::id).toList());
            Map<Long, String> names = UserStore.usernames(h, found.stream().map(Webhook::userId).distinct().toList());
            found.forEach(w -> arr.add(render(w, states.getOrDefault(w.id(), DeliveryState.initial()),
                    names.get(w.userId()))));
            return null;
        });
        return out;
    }

    /** One webhook with its attempts: {@code {"webhook": {...}, "attempts": [...]}}. */
    public ObjectNode get(String id) {
        return db.read(h -> {
            Webhook w = find(h, id);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("webhook", render(h, w));
            out.set("attempts", deliveries.attempts(h, id));
            return out;
        });
    }

    /** Stops its deliveries, as its owner's {@code "state": "inactive"} does; what it misses stays pending. */
    public ObjectNode pause(String id) {
        Webhook paused = db.write(tx -> {
            Webhook w = find(tx.handle(), id);
            Webhook next = w.withClientUpdate(Webhook.State.INACTIVE, w.settings(), w.scopes(), OPERATOR, tx.now());
            WebhookStore.updateByClient(tx.handle(), next);
            return next;
        });
        deliveries.forget(id);
        return get(paused.id());
    }

    /** Makes it active again as its owner's {@code "state": "active"} does: retries forgotten, what is pending due. */
    public ObjectNode reactivate(String id) {
        DeliveryState d = db.write(tx -> {
            Webhook w = find(tx.handle(), id);
            Webhook next = w.withClientUpdate(Webhook.State.ACTIVE, w.settings(), w.scopes(), OPERATOR, tx.now());
            WebhookStore.updateByClient(tx.handle(), next);
            return deliveries.reactivate(tx.handle(), next.target(), tx.now());
        });
        deliveries.offer(id, d.nextAttemptAt());
        return get(id);
    }

    /** Sends one {@code test} notification now, as {@code webhooks.test} does: {@code {delivered, status, reason}}. */
    public ObjectNode test(String id) {
        Webhook w = db.read(h -> find(h, id));
        DeliveryOutcome outcome = deliveries.testNow(w.target());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("delivered", outcome instanceof DeliveryOutcome.Delivered);
        out.put("status", outcome.status());
        out.put("reason", outcome.reason());
        return out;
    }

    private static Webhook find(Handle h, String id) {
        return WebhookStore.find(h, id).orElseThrow(() -> ApiException.unknownResource("webhook", id));
    }

    private ObjectNode render(Handle h, Webhook w) {
        DeliveryState d = deliveries.states(h, List.of(w.id())).getOrDefault(w.id(), DeliveryState.initial());
        return render(w, d, UserStore.usernames(h, List.of(w.userId())).get(w.userId()));
    }

    /** The owner's view of it, with its owner's name, its type always, and its settings redacted. */
    private ObjectNode render(Webhook w, DeliveryState d, String username) {
        ObjectNode o = WebhookJson.render(w, d);
        o.put("username", username);
        o.put("type", w.type());
        ObjectNode settings = w.settings() == null ? JsonNodeFactory.instance.objectNode() : w.settings().deepCopy();
        o.set("settings", notifiers.find(w.type()).map(n -> n.redact(settings)).orElse(
                JsonNodeFactory.instance.objectNode()));
        return o;
    }
}
