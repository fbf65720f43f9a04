package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.delivery.DeliveryEngine;
import io.hookline.delivery.RunRules;
import io.hookline.edge.Params;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks across users, for operators: find them by state, type, owner and failure, and reactivate them in bulk
 * (after fixing a problem that deactivated many at once). Settings are shown redacted.
 */
public final class SystemWebhooks {
    /** Who a reactivation by an operator is recorded as ({@code modifiedBy}). */
    public static final String SYSTEM = "system";
    static final int MAX_PAGE = 1000;

    private final Database db;
    private final Notifiers notifiers;
    private final DeliveryEngine engine;

    public SystemWebhooks(Database db, Notifiers notifiers, DeliveryEngine engine) {
        this.db = db;
        this.notifiers = notifiers;
        this.engine = engine;
    }

    public Notifiers notifiers() {
        return notifiers;
    }

    /** {@code {"webhooks": [... each with "username"], "total": n}}: one page of the matching webhooks. */
    public ObjectNode list(Params p) {
        WebhookSearch search = WebhookSearch.of(p);
        int limit = p.integer("limit", 1, MAX_PAGE).orElse(100);
        long offset = p.longInteger("offset", 0, Long.MAX_VALUE).orElse(0L);
        p.done();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode arr = out.putArray("webhooks");
        long total = db.read(h -> {
            WebhookStore.search(h, search, limit, offset).forEach(o -> arr.add(render(o)));
            return WebhookStore.count(h, search);
        });
        out.put("total", total);
        return out;
    }

    /**
     * Reactivates inactive webhooks: those of {@code ids}, or those matching the search, at most {@code limit}
     * (repeat until none is left). Each is active again with {@code currentRetries} 0 and due as after a client's
     * reactivation. Webhooks whose type is not installed are left inactive and listed under {@code skipped}.
     */
    public ObjectNode reactivate(Params p) {
        Optional<List<String>> ids = p.strings("ids");
        WebhookSearch search = WebhookSearch.of(p);
        int limit = p.integer("limit", 1, MAX_PAGE).orElse(MAX_PAGE);
        if (ids.isPresent() && ids.get().size() > MAX_PAGE) p.problem("ids", "at most " + MAX_PAGE + " ids");
        if (search.state().isPresent()) p.problem("state", "reactivation only applies to inactive webhooks");
        p.done();
        WebhookSearch inactive = new WebhookSearch(Optional.of(Webhook.State.INACTIVE), search.type(),
                search.failing(), search.username());
        List<String> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Webhook> reactivated = db.write(tx -> {
            List<Webhook> candidates = ids.isPresent()
                    ? WebhookStore.findAll(tx.handle(), ids.get()).stream().filter(w -> !w.isActive()).toList()
                    : WebhookStore.search(tx.handle(), inactive, limit, 0).stream().map(WebhookStore.Owned::webhook)
                    .toList();
            List<Webhook> out = new ArrayList<>();
            for (Webhook w : candidates) {
                if (notifiers.find(w.type()).isEmpty()) {
                    skipped.add(w.id());
                    continue;
                }
                long due = RunRules.reactivationDue(w, tx.now(), engine.effectiveMinInterval(w));
                Webhook next = new Webhook(w.id(), w.userId(), w.accessId(), w.url(), w.type(), w.settings(),
                        w.scopes(), w.minIntervalMs(), w.maxRetries(), 0, Webhook.State.ACTIVE, w.runCount(),
                        w.failCount(), w.lastRunStatus(), w.lastRunTime(), w.runs(), due, w.deliveryId(),
                        w.tracking().modifiedBy(SYSTEM, tx.now()));
                WebhookStore.updateByClient(tx.handle(), next);
                out.add(next);
            }
            return out;
        });
        reactivated.forEach(w -> {
            engine.offer(w.id(), w.nextAttemptAt());
            done.add(w.id());
        });
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        done.forEach(out.putArray("reactivated")::add);
        skipped.forEach(out.putArray("skipped")::add);
        return out;
    }

    private ObjectNode render(WebhookStore.Owned o) {
        Webhook w = o.webhook();
        ObjectNode json = WebhookJson.render(w);
        json.put("username", o.username());
        // What the throttle really is: the webhook's minIntervalMs or its notifier's minimum, whichever is longer.
        json.put("effectiveMinIntervalMs", engine.effectiveMinInterval(w));
        json.set("settings", notifiers.find(w.type()).map(n -> redact(n, w)).orElse(json.objectNode()));
        return json;
    }

    private static ObjectNode redact(Notifier n, Webhook w) {
        ObjectNode r = n.redact(w.settings().deepCopy());
        return r != null ? r : JsonNodeFactory.instance.objectNode();
    }
}
