package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.UserStore;
import io.hookline.delivery.Deliveries;
import io.hookline.delivery.DeliveryState;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.Database;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

/**
 * The console's view of webhooks across users, on top of the operators' calls ({@link SystemWebhooks}): the listing
 * (with {@code lagging} beside their filters), one webhook with its attempts, and the operator's actions on one
 * webhook: pause, reactivate, send a test.
 */
public final class OperatorWebhooks {
    /** Most webhooks one listing shows. */
    public static final int MAX_LISTED = 500;

    private final Database db;
    private final SystemWebhooks system;
    private final Deliveries deliveries;
    private final long lagAlarmMs;

    /** @param lagAlarmMs how long a due delivery may wait before its webhook counts as lagging (the health check's) */
    public OperatorWebhooks(Database db, SystemWebhooks system, Deliveries deliveries, long lagAlarmMs) {
        this.db = db;
        this.system = system;
        this.deliveries = deliveries;
        this.lagAlarmMs = lagAlarmMs;
    }

    /** The webhooks matching {@code search} (and lagging, when asked), oldest first: {@code {"webhooks", "total"}}. */
    public ObjectNode list(WebhookSearch search, boolean lagging) {
        WebhookSearch s = lagging ? search.lagging(db.clock().nowMicros() - lagAlarmMs * 1000) : search;
        SystemWebhooks.Page page = system.list(s, MAX_LISTED, 0);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode arr = out.putArray("webhooks");
        page.webhooks().forEach(l -> arr.add(system.render(l)));
        out.put("total", page.total());
        return out;
    }

    /** One webhook as operators see it, with its attempts: {@code {"webhook": {...}, "attempts": [...]}}. */
    public ObjectNode get(String id) {
        return db.read(h -> {
            Webhook w = find(h, id);
            DeliveryState d = deliveries.states(h, List.of(id)).getOrDefault(id, DeliveryState.initial());
            String owner = UserStore.usernames(h, List.of(w.userId())).get(w.userId());
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("webhook", system.render(new SystemWebhooks.Listed(w, owner, d,
                    deliveries.effectiveMinIntervalMs(w.target()))));
            out.set("attempts", deliveries.attempts(h, id));
            return out;
        });
    }

    /** Stops its deliveries, as its owner's {@code "state": "inactive"} does; what it misses stays pending. */
    public ObjectNode pause(String id) {
        db.write(tx -> {
            Webhook w = find(tx.handle(), id);
            WebhookStore.updateByClient(tx, w.withClientUpdate(Webhook.State.INACTIVE, w.settings(),
                    w.scopes(), SystemWebhooks.SYSTEM, tx.now()));
            return null;
        });
        deliveries.forget(id);
        return get(id);
    }

    /** Makes it active again as the operators' bulk reactivation does (a webhook of a missing type stays off). */
    public ObjectNode reactivate(String id) {
        db.read(h -> find(h, id));
        SystemWebhooks.Reactivation r = system.reactivate(Optional.of(List.of(id)), WebhookSearch.all(), 1);
        if (r.skipped().contains(id)) {
            throw new ApiException(ErrorId.INVALID_OPERATION, "This webhook's type has no notifier installed: install "
                    + "its plugin, then reactivate it");
        }
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
}
