package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.delivery.Deliveries;
import io.hookline.delivery.DeliveryState;
import io.hookline.edge.Params;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.Database;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhooks across users, for operators: find them by state, type, owner and failure, and reactivate them in bulk
 * (after fixing a problem that deactivated many at once). Settings are shown redacted ({@link Notifier#redact}).
 * The typed methods serve any operators' view; the {@link Params} ones read and answer the API's JSON.
 */
public final class SystemWebhooks {
    /** Who a reactivation by an operator is recorded as ({@code modifiedBy}). */
    public static final String SYSTEM = "system";
    /** Most webhooks listed or reactivated by one call. */
    public static final int MAX_PAGE = 1000;
    private static final int DEFAULT_PAGE = 100;

    private final Database db;
    private final Notifiers notifiers;
    private final Deliveries deliveries;

    public SystemWebhooks(Database db, Notifiers notifiers, Deliveries deliveries) {
        this.db = db;
        this.notifiers = notifiers;
        this.deliveries = deliveries;
    }

    /** The notifier plugins installed, which deliver the webhooks' types. */
    public Notifiers notifiers() {
        return notifiers;
    }

    /** A webhook as operators see it: its owner, where its delivery stands, and the interval in force. */
    public record Listed(Webhook webhook, String username, DeliveryState delivery, long effectiveMinIntervalMs) {
    }

    /** One page of the matching webhooks, oldest first, and how many match in all. */
    public record Page(List<Listed> webhooks, long total) {
    }

    /** What a bulk reactivation did: the webhooks made active, and those left inactive as their type is missing. */
    public record Reactivation(List<String> reactivated, List<String> skipped) {
    }

    public Page list(WebhookSearch search, int limit, long offset) {
        return db.read(h -> {
            List<WebhookStore.Owned> found = WebhookStore.search(h, search, limit, offset);
            Map<String, DeliveryState> states = deliveries.states(h,
                    found.stream().map(o -> o.webhook().id()).toList());
            List<Listed> listed = found.stream().map(o -> new Listed(o.webhook(), o.username(),
                    states.getOrDefault(o.webhook().id(), DeliveryState.initial()),
                    deliveries.effectiveMinIntervalMs(o.webhook().target()))).toList();
            return new Page(listed, WebhookStore.count(h, search));
        });
    }

    /**
     * Reactivates inactive webhooks: those of {@code ids} when given, else at most {@code limit} of those matching
     * {@code search} (repeat until none is left). Each becomes active with its retries forgotten, due as after its
     * owner's reactivation (the backoff ends, the throttle stays). Webhooks whose type is not installed stay inactive.
     */
    public Reactivation reactivate(Optional<List<String>> ids, WebhookSearch search, int limit) {
        List<String> skipped = new ArrayList<>();
        Map<String, DeliveryState> done = db.write(tx -> {
            skipped.clear(); // the work may run again (PostgreSQL)
            // In id order: the order in which finishing deliveries lock webhooks (PostgresDeliveryStore.finish).
            List<Webhook> candidates = (ids.isPresent()
                    ? WebhookStore.findAll(tx.handle(), ids.get()).stream().filter(w -> !w.isActive())
                    : WebhookStore.search(tx.handle(), search.inactive(), limit, 0).stream()
                    .map(WebhookStore.Owned::webhook))
                    .sorted(Comparator.comparing(Webhook::id)).toList();
            Map<String, DeliveryState> out = new LinkedHashMap<>();
            for (Webhook w : candidates) {
                if (notifiers.find(w.type()).isEmpty()) {
                    skipped.add(w.id());
                    continue;
                }
                Webhook next = w.withClientUpdate(Webhook.State.ACTIVE, w.settings(), w.scopes(), SYSTEM, tx.now());
                WebhookStore.updateByClient(tx, next);
                out.put(w.id(), deliveries.reactivate(tx.handle(), next.target(), tx.now()));
            }
            return out;
        });
        done.forEach((id, d) -> deliveries.offer(id, d.nextAttemptAt()));
        return new Reactivation(List.copyOf(done.keySet()), List.copyOf(skipped));
    }

    /** {@code GET /system/webhooks}: {@code {"webhooks": [...], "total": n}}. */
    public ObjectNode list(Params p) {
        WebhookSearch search = WebhookSearch.of(p);
        int limit = p.integer("limit", 1, MAX_PAGE).orElse(DEFAULT_PAGE);
        long offset = p.longInteger("offset", 0, Long.MAX_VALUE).orElse(0L);
        p.done();
        Page page = list(search, limit, offset);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode arr = out.putArray("webhooks");
        page.webhooks().forEach(l -> arr.add(render(l)));
        out.put("total", page.total());
        return out;
    }

    /** {@code POST /system/webhooks/reactivate}: {@code {"ids": [...]}} or the filters of {@link #list(Params)}. */
    public ObjectNode reactivate(Params p) {
        Optional<List<String>> ids = p.strings("ids");
        WebhookSearch search = WebhookSearch.of(p);
        int limit = p.integer("limit", 1, MAX_PAGE).orElse(MAX_PAGE);
        if (ids.isPresent() && ids.get().size() > MAX_PAGE) p.problem("ids", "at most " + MAX_PAGE + " ids");
        if (search.state().isPresent()) p.problem("state", "reactivation only applies to inactive webhooks");
        p.done();
        Reactivation r = reactivate(ids, search, limit);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        r.reactivated().forEach(out.putArray("reactivated")::add);
        r.skipped().forEach(out.putArray("skipped")::add);
        return out;
    }

    /** The fields of the owner's view, its owner's name, the interval in force, and its settings redacted. */
    public ObjectNode render(Listed l) {
        Webhook w = l.webhook();
        ObjectNode json = WebhookJson.render(w, l.delivery(), l.effectiveMinIntervalMs());
        json.put("username", l.username());
        json.put("effectiveMinIntervalMs", l.effectiveMinIntervalMs());
        json.put("type", w.type());
        json.set("settings", notifiers.find(w.type()).map(n -> redacted(n, w)).orElse(json.objectNode()));
        return json;
    }

    private static ObjectNode redacted(Notifier n, Webhook w) {
        ObjectNode r = n.redact(w.settings() == null ? JsonNodeFactory.instance.objectNode() : w.settings().deepCopy());
        return r != null ? r : JsonNodeFactory.instance.objectNode();
    }
}
