package io.hookline.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rows of {@code webhook_pending}, read with the user's latest change of each kind ({@code user_changes}): a message
 * pending for a webhook happened at the later of its own row's time and the user's latest change of that kind. The
 * statements name what differs between the engines as {@code io.hookline.storage.Dialect} attributes.
 */
final class PendingMessages {
    private PendingMessages() {
    }

    /**
     * The same rows for the {@code webhooks} row of the statement around it, as one PostgreSQL JSON column
     * ({@code [[message, lastSeen], ...]}, first seen first, null when none): a claim reads them in its own statement.
     */
    static final String JSON_COLUMN = "(SELECT json_agg(json_build_array(p.message, "
            + "GREATEST(p.last_seen, COALESCE(c.last_seen, 0))) ORDER BY p.first_seen, p.seq) "
            + "FROM webhook_pending p LEFT JOIN user_changes c ON c.user_id = webhooks.user_id AND c.message = p.message "
            + "WHERE p.webhook_id = webhooks.id)";

    /** A {@link #JSON_COLUMN} value as the claim's pending messages. */
    static List<DeliveryStore.Pending> ofJson(String json) {
        if (json == null) return List.of();
        List<DeliveryStore.Pending> out = new ArrayList<>();
        for (JsonNode m : Json.read(json)) out.add(new DeliveryStore.Pending(m.get(0).asText(), m.get(1).asLong()));
        return out;
    }

    /** Pending messages of these webhooks, first seen first, each with when it last happened for the user. */
    static Map<String, List<DeliveryStore.Pending>> of(Handle h, Collection<String> webhookIds) {
        Map<String, List<DeliveryStore.Pending>> out = new HashMap<>();
        h.createQuery("SELECT p.webhook_id, p.message, <greatest>(p.last_seen, COALESCE(c.last_seen, 0)) "
                        + "FROM webhook_pending p JOIN webhooks w ON w.id = p.webhook_id "
                        + "LEFT JOIN user_changes c ON c.user_id = w.user_id AND c.message = p.message "
                        + "WHERE p.webhook_id IN (<ids>) ORDER BY p.first_seen, p.<rowSeq>")
                .bindList("ids", List.copyOf(webhookIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new DeliveryStore.Pending(rs.getString(2), rs.getLong(3))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /**
     * Removes delivered messages (by webhook), unless they happened again after they were read. Returns the webhooks
     * that still have one of them pending for that reason. With concurrent writers (PostgreSQL), the caller first takes
     * {@link #lockChanges} and leaves out the messages it returns.
     */
    static Set<String> removeDelivered(Handle h, Map<String, List<DeliveryStore.Pending>> delivered) {
        if (delivered.isEmpty()) return Set.of();
        PreparedBatch batch = h.prepareBatch("DELETE FROM webhook_pending WHERE webhook_id = :webhook "
                + "AND message = :message AND <greatest>(last_seen, COALESCE((SELECT c.last_seen FROM user_changes c "
                + "WHERE c.user_id = (SELECT user_id FROM webhooks WHERE id = :webhook) AND c.message = :message), 0)) "
                + "<= :seen");
        List<String> order = new ArrayList<>();
        // By webhook then message: the order in which writers lock scoped webhooks' pending rows (DeliveryOutbox).
        new TreeMap<>(delivered).forEach((webhookId, messages) -> {
            for (DeliveryStore.Pending p : messages.stream()
                    .sorted(Comparator.comparing(DeliveryStore.Pending::message)).toList()) {
                batch.bind("webhook", webhookId).bind("message", p.message()).bind("seen", p.lastSeen()).add();
                order.add(webhookId);
            }
        });
        if (order.isEmpty()) return Set.of();
        int[] removed = batch.execute();
        Set<String> again = new HashSet<>();
        for (int i = 0; i < removed.length; i++) {
            if (removed[i] == 0) again.add(order.get(i));
        }
        return again;
    }

    /**
     * PostgreSQL, before {@link #removeDelivered}: locks {@code FOR SHARE} the {@code user_changes} rows of the
     * delivered messages' users and kinds, skipping those a writer holds, and returns, by webhook, the delivered
     * messages whose row was skipped. They must stay pending.
     *
     * <p>Why. A write that adds a message updates the user's {@code user_changes} row before it touches
     * {@code webhook_pending} ({@link DeliveryOutbox}), and a pending row that is already there is left as it is. So
     * while a write of that message has not committed, its change row is locked and its time is not yet visible: a
     * removal compared with the old time would delete a message the write is adding. Such a write will move the
     * row's {@code last_seen} when it commits, so its message has happened again: it is left pending, without waiting
     * for that commit (if the write rolls back instead, the webhook gets one notification more, never one less). Rows
     * locked here are held until this transaction commits: a write that comes after waits for it, and then, finding
     * the pending row gone, adds it anew. The removal, a later statement, sees every time committed before the lock.
     *
     * <p>Skipping instead of waiting matters: a finish locks rows of many users at once, and while it waited for one
     * user's write, every later write of the others would wait behind it.
     */
    static Map<String, Set<String>> lockChanges(Handle h, Map<String, List<DeliveryStore.Pending>> delivered) {
        Set<String> messages = new TreeSet<>();
        delivered.values().forEach(pending -> pending.forEach(p -> messages.add(p.message())));
        Map<String, Set<String>> busy = new HashMap<>();
        if (messages.isEmpty()) return busy;
        // The changed rows of these users and kinds (the statement's snapshot) minus those locked: those a writer holds.
        h.createQuery("WITH locked AS MATERIALIZED (SELECT c.user_id, c.message FROM user_changes c "
                        + "WHERE c.user_id IN (SELECT w.user_id FROM webhooks w WHERE w.id IN (<ids>)) "
                        + "AND c.message IN (<messages>) FOR SHARE SKIP LOCKED) "
                        + "SELECT w.id, c.message FROM webhooks w JOIN user_changes c ON c.user_id = w.user_id "
                        + "WHERE w.id IN (<ids>) AND c.message IN (<messages>) AND NOT EXISTS "
                        + "(SELECT 1 FROM locked l WHERE l.user_id = c.user_id AND l.message = c.message)")
                .bindList("ids", List.copyOf(delivered.keySet())).bindList("messages", List.copyOf(messages))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> busy.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return busy;
    }
}
